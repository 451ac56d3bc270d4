/**
 * The catalogue of expected refusals: each has a stable code (clients and tests key on it),
 * an HTTP status, and a message for the cashier in both languages. HTTP mapping happens once,
 * in src/http/problem.ts; anything thrown that is not a Refusal is a fault (500).
 */
import type { Lang } from './i18n';

interface RefusalSpec {
  status: number;
  en: string;
  zh: string;
}

export const REFUSALS = {
  validation_failed: { status: 400, en: 'The request is not valid.', zh: '请求内容无效。' },
  malformed_json: { status: 400, en: 'The request body is not valid JSON.', zh: '请求内容不是有效的 JSON。' },
  payload_too_large: { status: 413, en: 'The request is too large.', zh: '请求内容过大。' },
  unsupported_media_type: { status: 415, en: 'This content type is not accepted.', zh: '不支持该内容类型。' },
  not_found: { status: 404, en: 'Not found.', zh: '未找到。' },
  store_unknown: { status: 404, en: 'No such store.', zh: '门店不存在。' },
  till_unknown: { status: 404, en: 'No such till in this store.', zh: '该门店没有这个收银台。' },
  sale_unknown: { status: 404, en: 'No such sale.', zh: '销售单不存在。' },
  line_unknown: { status: 404, en: 'No such item on this sale.', zh: '该销售单上没有这个商品行。' },
  variant_unknown: { status: 404, en: 'No such item in the catalog.', zh: '商品目录中没有这个商品。' },
  barcode_unknown: {
    status: 404,
    en: 'Barcode not found. Check the tag or search by name.',
    zh: '条码未找到，请核对吊牌或按名称搜索。',
  },
  variant_inactive: { status: 409, en: 'This item is no longer sold.', zh: '该商品已停售。' },
  sale_not_open: {
    status: 409,
    en: 'This sale is no longer open; it cannot be changed or paid again.',
    zh: '该销售单已不是未结状态，不能再修改或再次收款。',
  },
  sale_empty: { status: 409, en: 'Add at least one item before taking payment.', zh: '请先添加商品再收款。' },
  quantity_out_of_range: {
    status: 422,
    en: 'Quantity must be a whole number from 1 to 999.',
    zh: '数量必须是 1 到 999 的整数。',
  },
  amount_out_of_range: { status: 422, en: 'The amount is out of range.', zh: '金额超出范围。' },
  discount_exceeds_amount: {
    status: 422,
    en: 'The discount is larger than the amount it applies to.',
    zh: '折扣金额超过了适用金额。',
  },
  sale_too_large: {
    status: 422,
    en: 'A sale can hold at most 200 items.',
    zh: '一张销售单最多 200 个商品行。',
  },
  tendered_insufficient: {
    status: 422,
    en: 'The cash tendered is less than the amount due.',
    zh: '收取的现金少于应收金额。',
  },
  idempotency_key_reused: {
    status: 409,
    en: 'This request key was already used for a different request.',
    zh: '该请求编号已用于另一个不同的请求。',
  },
  idempotency_key_invalid: {
    status: 400,
    en: 'The Idempotency-Key header must be 1 to 255 visible characters.',
    zh: 'Idempotency-Key 请求头必须是 1 到 255 个可见字符。',
  },
  csv_encoding_invalid: {
    status: 422,
    en: 'The file is not valid UTF-8. If it was saved from Excel, import it with encoding GB18030.',
    zh: '文件不是有效的 UTF-8 编码。如果由 Excel 保存，请选择 GB18030 编码导入。',
  },
  csv_columns_invalid: {
    status: 422,
    en: 'The file does not have the required columns.',
    zh: '文件缺少必需的列。',
  },
  csv_rows_invalid: {
    status: 422,
    en: 'Some rows are not valid; nothing was imported.',
    zh: '部分行无效，未导入任何内容。',
  },
  stock_count_invalid: { status: 422, en: 'A stock count cannot be negative.', zh: '盘点数量不能为负数。' },
  storage_not_confirmed: {
    status: 503,
    en: 'The change was written but the disk did not confirm it. Try again: the same request is answered from what was saved.',
    zh: '已写入，但磁盘未确认。请重试：同一请求将按已保存的结果答复。',
  },
  internal_error: {
    status: 500,
    en: 'Something went wrong on the server. Nothing was lost; try again.',
    zh: '服务器出错。数据未丢失，请重试。',
  },
} as const satisfies Record<string, RefusalSpec>;

export type RefusalCode = keyof typeof REFUSALS;

/** An expected refusal with a stable code; thrown so the surrounding transaction rolls back. */
export class Refusal extends Error {
  readonly code: RefusalCode;
  readonly detail: string | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
  constructor(code: RefusalCode, detail?: string, extra: Record<string, unknown> = {}) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'Refusal';
    this.code = code;
    this.detail = detail;
    this.extra = extra;
  }
  get status(): number {
    return REFUSALS[this.code].status;
  }
  title(lang: Lang): string {
    return REFUSALS[this.code][lang === 'zh-CN' ? 'zh' : 'en'];
  }
}
