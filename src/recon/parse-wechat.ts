/**
 * The WeChat Pay bill (docs/providers.md, "Statements"): plain text, the first line the header (ALL, SUCCESS or
 * REFUND layout; read by name), every data field after a backtick, then a summary header
 * (`总交易单数,…`) and one summary line. `交易状态` SUCCESS is a payment, REFUND a refund (its
 * 商户退款单号 and 退款金额), REVOKED a trade that moved nothing.
 */
import {
  chinaTimeToIso,
  columnsOf,
  dayOfChinaTime,
  isBlankLine,
  type LineError,
  type LineForm,
  type LineSink,
  lineError,
  lineKey,
  type ParsedStatement,
  readCells,
  readHeader,
  type StatementLine,
  type StatementParser,
  utf8BytesOf,
  yuanCellToFen,
  yuanCellToMilliFen,
} from './statement';

/** Its lines as their bytes (read-file.ts): the file is UTF-8. */
const FORM: LineForm = 'utf8_bytes';

const COLUMNS = [
  '交易时间',
  '设备号',
  '微信订单号',
  '商户订单号',
  '交易状态',
  '应结订单金额',
  '手续费',
] as const;
const REFUND_COLUMNS = ['商户退款单号', '退款金额'] as const;
/** The summary header's start, as the line's bytes read (its form is utf8_bytes). */
const SUMMARY_HEADER = utf8BytesOf('总交易单数');

export function wechatParser(emit?: LineSink): StatementParser {
  const lines: StatementLine[] = [];
  const out = emit ?? ((l: StatementLine) => void lines.push(l));
  const errors: LineError[] = [];
  let header: string[] | null = null;
  let at: Record<(typeof COLUMNS)[number], number> | null = null;
  let refundAt: Record<(typeof REFUND_COLUMNS)[number], number> | null = null;
  let dataLines = 0;
  let summary: 'none' | 'header' | 'line' = 'none';
  return {
    form: FORM,
    feed(raw, line) {
      if (isBlankLine(raw, FORM)) return;
      if (!header) {
        const found = readHeader(raw, line, COLUMNS, errors, FORM);
        if (!found) {
          header = [];
          return;
        }
        header = found.cells;
        at = found.at;
        const cells = found.cells;
        const refunds = columnsOf(cells, REFUND_COLUMNS);
        refundAt = refunds.ok ? refunds.at : null;
        return;
      }
      if (raw.startsWith(SUMMARY_HEADER)) {
        summary = 'header';
        return;
      }
      if (summary === 'header') {
        summary = 'line';
        return;
      }
      dataLines++;
      if (summary === 'line') return void errors.push(lineError(line, { code: 'after_end' }));
      if (!at) return void errors.push(lineError(line, { code: 'no_header' }));
      const cells = readCells(raw, line, header.length, errors, FORM);
      if (!cells) return;
      if (cells.some((c) => !c.startsWith('`')))
        return void errors.push(lineError(line, { code: 'no_backtick' }));
      const cell = (i: number) => cells[i]!.slice(1).trim();
      const state = cell(at.交易状态);
      const when = chinaTimeToIso(cell(at.交易时间));
      const orderAmount = yuanCellToFen(cell(at.应结订单金额));
      const fee = yuanCellToMilliFen(cell(at.手续费));
      const transactionId = cell(at.微信订单号);
      if (!['SUCCESS', 'REFUND', 'REVOKED'].includes(state))
        return void errors.push(lineError(line, { code: 'unknown_value', column: '交易状态', value: state }));
      if (!when)
        return void errors.push(
          lineError(line, { code: 'not_time', column: '交易时间', value: cell(at.交易时间) }),
        );
      if (orderAmount === null || orderAmount < 0)
        return void errors.push(
          lineError(line, { code: 'not_amount', column: '应结订单金额', value: cell(at.应结订单金额) }),
        );
      if (fee === null)
        return void errors.push(
          lineError(line, { code: 'not_amount', column: '手续费', value: cell(at.手续费) }),
        );
      if (!transactionId) return void errors.push(lineError(line, { code: 'empty', column: '微信订单号' }));
      const day = dayOfChinaTime(cell(at.交易时间));
      const base = {
        provider: 'wechat' as const,
        line,
        merchantOrderNo: cell(at.商户订单号),
        providerRef: transactionId,
        feeMilliFen: fee,
        at: when,
        terminalId: cell(at.设备号) || null,
      };
      if (state === 'REFUND') {
        if (!refundAt) return void errors.push(lineError(line, { code: 'refund_layout' }));
        const refunded = yuanCellToFen(cell(refundAt.退款金额));
        const refundNo = cell(refundAt.商户退款单号);
        if (refunded === null || refunded <= 0)
          return void errors.push(
            lineError(line, { code: 'not_amount', column: '退款金额', value: cell(refundAt.退款金额) }),
          );
        out({
          ...base,
          key: lineKey('wechat', day, `refund:${transactionId}:${refundNo || line}`),
          kind: 'refund',
          refundNo: refundNo || null,
          amountFen: refunded,
          feeMilliFen: -Math.abs(fee),
        });
        return;
      }
      if (orderAmount === 0) return void errors.push(lineError(line, { code: 'zero' }));
      out({
        ...base,
        // A REVOKED trade is listed with what it would have been; it moved nothing.
        key: lineKey('wechat', day, `${state === 'SUCCESS' ? 'pay' : 'revoked'}:${transactionId}`),
        kind: state === 'SUCCESS' ? 'payment' : 'no_money',
        refundNo: null,
        amountFen: orderAmount,
      });
    },
    end(lastLine): ParsedStatement {
      if (!header) errors.push(lineError(Math.max(1, lastLine), { code: 'no_data' }));
      return { provider: 'wechat', lines, errors, dataLines };
    },
  };
}
