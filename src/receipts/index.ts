/** Receipts: one language-resolved document drawn as ESC/POS bytes and HTML. Its only door. */
export { COLUMNS_BY_WIDTH, EscPosWriter, type PaperWidthMm, renderEscPos } from './escpos';
export { decodeEscPos } from './escpos-decode';
export { renderHtml } from './html';
export {
  buildReceipt,
  buildSlip,
  type ReceiptDoc,
  type ReceiptSource,
  returnPolicyLine,
  type SlipSource,
} from './model';
export { recordReceiptPrint } from './print-record';
export { receiptRoutes } from './routes';
export { type ReceiptOptions, receiptDoc, receiptEscPos, receiptHtml } from './service';
export { displayWidth, twoColumns, wrap } from './text-width';
