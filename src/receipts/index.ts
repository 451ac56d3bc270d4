export { COLUMNS_BY_WIDTH, EscPosWriter, type PaperWidthMm, renderEscPos } from './escpos';
export { decodeEscPos } from './escpos-decode';
export { escapeHtml, renderHtml } from './html';
export { buildReceipt, buildSlip, type ReceiptDoc, type ReceiptSource, type SlipSource } from './model';
export { type ReceiptOptions, receiptDoc, receiptEscPos, receiptHtml } from './service';
export { displayWidth, twoColumns, wrap } from './text-width';
