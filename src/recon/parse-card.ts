/**
 * The card acquirer's settlement file, in our own CSV import profile (docs/providers.md, "Statements": acquirers
 * have no single standard, so a store maps its acquirer's layout onto this one): UTF-8, one
 * header read by name, then one line per transaction —
 * `商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号`.
 * `消费` is a payment, `退货` a refund, `撤销` / `冲正` moved nothing in the end. The card number
 * must be masked: a line with a whole one is refused (and never kept).
 */
import { findPans } from '../kernel';
import {
  CsvCells,
  chinaTimeToIso,
  dayOfChinaTime,
  isBlankLine,
  type LineError,
  type LineForm,
  type LineSink,
  lineError,
  lineKey,
  type ParsedStatement,
  readHeader,
  type StatementLine,
  type StatementParser,
  yuanCellToFen,
  yuanCellToMilliFen,
} from './statement';

/** Its lines as their bytes (read-file.ts): the file is UTF-8. */
const FORM: LineForm = 'utf8_bytes';

export const CARD_COLUMNS = [
  '商户号',
  '终端号',
  '批次号',
  '凭证号',
  '参考号',
  '授权码',
  '卡号',
  '交易类型',
  '交易时间',
  '交易金额',
  '手续费',
  '结算金额',
  '清算日期',
  '商户订单号',
] as const;

const KINDS: Record<string, StatementLine['kind']> = {
  消费: 'payment',
  退货: 'refund',
  撤销: 'no_money',
  冲正: 'no_money',
};

export function cardParser(emit?: LineSink): StatementParser {
  const lines: StatementLine[] = [];
  const out = emit ?? ((l: StatementLine) => void lines.push(l));
  const errors: LineError[] = [];
  let header: string[] | null = null;
  let at: Record<(typeof CARD_COLUMNS)[number], number> | null = null;
  let dataLines = 0;
  const cells = new CsvCells(FORM);
  return {
    form: FORM,
    feed(raw, line) {
      if (isBlankLine(raw, FORM)) return;
      if (!header) {
        const found = readHeader(raw, line, CARD_COLUMNS, errors, FORM);
        header = found?.cells ?? [];
        if (!found) return;
        at = found.at;
        return;
      }
      dataLines++;
      if (!at) return void errors.push(lineError(line, { code: 'no_header' }));
      if (!cells.read(raw, line, header.length, errors)) return;
      // Before anything else: a whole card number is refused, and the reason never repeats it. The
      // acquirer's own ids (merchant, terminal, batch, voucher, reference numbers) are digits too and
      // may pass Luhn by chance: the card number and our order number are where a PAN could be.
      const card = cells.cell(at.卡号);
      const orderNo = cells.cell(at.商户订单号);
      if (findPans(card).length > 0 || findPans(orderNo).length > 0)
        return void errors.push(lineError(line, { code: 'unmasked_pan' }));
      const type = cells.cell(at.交易类型);
      const kind = KINDS[type];
      const amountCell = cells.cell(at.交易金额);
      const feeCell = cells.cell(at.手续费);
      const timeCell = cells.cell(at.交易时间);
      const amount = yuanCellToFen(amountCell);
      const fee = yuanCellToMilliFen(feeCell || '0');
      const when = chinaTimeToIso(timeCell);
      const reference = cells.cell(at.参考号);
      if (!kind)
        return void errors.push(lineError(line, { code: 'unknown_value', column: '交易类型', value: type }));
      if (amount === null || amount <= 0)
        return void errors.push(
          lineError(line, { code: 'not_amount', column: '交易金额', value: amountCell }),
        );
      if (fee === null)
        return void errors.push(lineError(line, { code: 'not_amount', column: '手续费', value: feeCell }));
      if (!when)
        return void errors.push(lineError(line, { code: 'not_time', column: '交易时间', value: timeCell }));
      if (!reference) return void errors.push(lineError(line, { code: 'empty', column: '参考号' }));
      const terminal = cells.cell(at.终端号);
      out({
        provider: 'card',
        line,
        key: lineKey(
          'card',
          dayOfChinaTime(timeCell),
          `${kind}:${cells.cell(at.商户号)}:${terminal}:${reference}`,
        ),
        kind,
        merchantOrderNo: orderNo,
        providerRef: reference,
        refundNo: kind === 'refund' ? orderNo || null : null,
        amountFen: amount,
        feeMilliFen: Math.abs(fee),
        at: when,
        terminalId: terminal || null,
      });
    },
    end(lastLine): ParsedStatement {
      if (!header) errors.push(lineError(Math.max(1, lastLine), { code: 'no_data' }));
      return { provider: 'card', lines, errors, dataLines };
    },
  };
}
