/**
 * The Alipay trade bill's detail CSV (docs/providers.md, "Statements"): `#` lines before and after the data, one
 * header of 25 columns read by name (full-width parentheses), cells that may end with a tab.
 * `交易` is a payment, `退款` a refund (negative amounts; its request number); the fee is negative
 * when charged. Fed the detail file's lines as decoded text (GBK → UTF-16 happens before).
 */
import {
  chinaTimeToIso,
  dayOfChinaTime,
  isBlankLine,
  type LineError,
  type LineSink,
  lineError,
  lineKey,
  type ParsedStatement,
  readCells,
  readHeader,
  type StatementLine,
  type StatementParser,
  yuanCellToFen,
  yuanCellToMilliFen,
} from './statement';

const COLUMNS = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '完成时间',
  '终端号',
  '订单金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
] as const;

export function alipayParser(emit?: LineSink): StatementParser {
  const lines: StatementLine[] = [];
  const out = emit ?? ((l: StatementLine) => void lines.push(l));
  const errors: LineError[] = [];
  let at: Record<(typeof COLUMNS)[number], number> | null = null;
  let width = 0;
  let dataLines = 0;
  let ended = false;
  let headerSeen = false;
  return {
    form: 'text',
    feed(raw, line) {
      if (isBlankLine(raw)) return;
      if (raw.startsWith('#')) {
        if (headerSeen) ended = true;
        return;
      }
      if (!headerSeen) {
        headerSeen = true;
        const header = readHeader(raw, line, COLUMNS, errors);
        if (!header) return;
        at = header.at;
        width = header.cells.length;
        return;
      }
      dataLines++;
      if (ended) return void errors.push(lineError(line, { code: 'after_end' }));
      if (!at) return void errors.push(lineError(line, { code: 'no_header' }));
      const cells = readCells(raw, line, width, errors);
      if (!cells) return;
      const cell = (name: (typeof COLUMNS)[number]) => cells[at![name]]!.replace(/\t+$/, '').trim();
      const type = cell('业务类型');
      const amount = yuanCellToFen(cell('订单金额（元）'));
      const fee = yuanCellToMilliFen(cell('服务费（元）') || '0');
      const when = chinaTimeToIso(cell('完成时间'));
      const tradeNo = cell('支付宝交易号');
      if (type !== '交易' && type !== '退款')
        return void errors.push(lineError(line, { code: 'unknown_value', column: '业务类型', value: type }));
      if (amount === null)
        return void errors.push(
          lineError(line, { code: 'not_amount', column: '订单金额', value: cell('订单金额（元）') }),
        );
      if (fee === null)
        return void errors.push(
          lineError(line, { code: 'not_amount', column: '服务费', value: cell('服务费（元）') }),
        );
      if (!when)
        return void errors.push(
          lineError(line, { code: 'not_time', column: '完成时间', value: cell('完成时间') }),
        );
      if (!tradeNo) return void errors.push(lineError(line, { code: 'empty', column: '支付宝交易号' }));
      if ((type === '交易' && amount <= 0) || (type === '退款' && amount >= 0))
        return void errors.push(
          lineError(line, {
            code: 'wrong_sign',
            column: '业务类型',
            value: `${type} ${cell('订单金额（元）')}`,
          }),
        );
      const refundNo = type === '退款' ? cell('退款批次号/请求号') || null : null;
      const day = dayOfChinaTime(cell('完成时间'));
      out({
        provider: 'alipay',
        line,
        key: lineKey(
          'alipay',
          day,
          type === '交易' ? `pay:${tradeNo}` : `refund:${tradeNo}:${refundNo ?? line}`,
        ),
        kind: type === '交易' ? 'payment' : 'refund',
        merchantOrderNo: cell('商户订单号'),
        providerRef: tradeNo,
        refundNo,
        amountFen: Math.abs(amount),
        feeMilliFen: -fee,
        at: when,
        terminalId: cell('终端号') || null,
      });
    },
    end(lastLine): ParsedStatement {
      if (!headerSeen) errors.push(lineError(Math.max(1, lastLine), { code: 'no_data' }));
      return { provider: 'alipay', lines, errors, dataLines };
    },
  };
}
