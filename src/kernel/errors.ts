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
  bad_url: {
    status: 400,
    en: 'The address of the request is not valid (a bad percent-encoding).',
    zh: '请求地址无效（百分号编码有误）。',
  },
  headers_too_large: {
    status: 431,
    en: 'The request’s headers are too large.',
    zh: '请求头过大。',
  },
  bad_request: { status: 400, en: 'The request could not be read.', zh: '无法读取该请求。' },
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
  phone_invalid: {
    status: 422,
    en: 'Enter the customer’s phone: a mobile number (11 digits) or a landline with its area code.',
    zh: '请输入顾客电话：11 位手机号，或带区号的座机号。',
  },
  slip_unknown: { status: 404, en: 'No such provisional slip.', zh: '小单不存在。' },
  return_nothing: { status: 422, en: 'Choose at least one item to return.', zh: '请至少选择一件退货商品。' },
  return_line_unknown: { status: 422, en: 'That item is not on this sale.', zh: '此商品不在这张销售单上。' },
  return_line_twice: { status: 422, en: 'Each item of the sale once, please.', zh: '同一商品请只选一次。' },
  return_qty_invalid: {
    status: 422,
    en: 'Return a whole number of pieces, at least one.',
    zh: '退货数量须为正整数。',
  },
  return_qty_exceeds: {
    status: 422,
    en: 'More pieces than were sold and not yet returned.',
    zh: '退货数量超过已售且未退的数量。',
  },
  return_window_passed: {
    status: 422,
    en: 'This sale is past the store’s return period.',
    zh: '此单已超过本店退换货期限。',
  },
  return_receipt_required: {
    status: 422,
    en: 'This store takes returns only with the receipt.',
    zh: '本店退货须凭小票。',
  },
  return_reason_unknown: {
    status: 422,
    en: 'Choose a reason from the list.',
    zh: '请从列表中选择退货原因。',
  },
  return_cash_over_limit: {
    status: 422,
    en: 'Without the receipt, a return is refunded in cash only up to the store’s limit.',
    zh: '无小票退货仅可退现金，且不超过本店限额。',
  },
  refund_not_failed: {
    status: 409,
    en: 'Only a refund that failed can be given in cash instead; this one has not (or already was).',
    zh: '只有失败的退款才能改退现金；此笔退款并未失败（或已改退）。',
  },
  return_unknown: { status: 404, en: 'No such return.', zh: '退货单不存在。' },
  sale_not_returnable: {
    status: 409,
    en: 'Only a paid sale can take a return.',
    zh: '只有已完成付款的销售单可以退货。',
  },
  sale_has_returns: {
    status: 409,
    en: 'Part of this sale was returned already: return the rest instead of voiding it.',
    zh: '此单已有退货：请对其余商品办理退货，不能作废。',
  },
  journal_card_needs_days: {
    status: 422,
    en: 'To find a sale by the card’s last four digits, give the day (or days) it was paid.',
    zh: '按卡号后四位查找时，请同时选择付款日期。',
  },
  slip_not_open: {
    status: 409,
    en: 'This slip is no longer open: it was paid, or closed by the store. Nothing was charged.',
    zh: '此小单已不在未结状态（已付清或已由门店处理），未扣款。',
  },
  case_unknown: { status: 404, en: 'No such follow-up case.', zh: '跟进事项不存在。' },
  case_not_open: {
    status: 409,
    en: 'This follow-up case is already closed (or waiting for the statement); nothing was changed.',
    zh: '该跟进事项已结束（或正在等待对账），未做任何更改。',
  },
  slip_close_mismatch: {
    status: 409,
    en: 'This does not fit where the goods are: cancel (restock) a slip whose goods the store holds; write off one whose goods the customer took.',
    zh: '与商品去向不符：商品在店内的小单应取消并退回库存；商品已被顾客带走的小单应核销。',
  },
  sale_nothing_due: {
    status: 409,
    en: 'Nothing is due on this sale: there is nothing to put on account.',
    zh: '该销售单没有应付金额，无需开小单。',
  },
  sale_parked: {
    status: 409,
    en: 'This sale is parked. Take it up first (Parked sales), then change or pay it.',
    zh: '该销售单已挂单，请先取单，再修改或收款。',
  },
  sale_awaiting_statement: {
    status: 409,
    en: 'The customer showed proof this was already paid; it waits for the bank or wallet statement. Take no payment now.',
    zh: '顾客已出示付款凭证，正在等待银行或钱包对账单确认，请勿再次收款。',
  },
  attempt_still_pending: {
    status: 409,
    en: 'A payment on this sale is still being checked. Wait for its answer (or the payment review) before recording proof.',
    zh: '该销售单仍有支付正在核实，请等待结果（或支付核查）后再登记付款凭证。',
  },
  confirmation_amount_mismatch: {
    status: 422,
    en: 'The proof must show exactly the amount due on the slip.',
    zh: '凭证金额必须与小单应付金额一致。',
  },
  confirmation_unknown: { status: 404, en: 'No such manual confirmation.', zh: '人工确认记录不存在。' },
  confirmation_not_awaiting: {
    status: 409,
    en: 'This confirmation was already decided by a statement; nothing was changed.',
    zh: '该人工确认已由对账单确认或否定，未做任何更改。',
  },
  feedback_already_given: {
    status: 409,
    en: 'Thank you — feedback for this visit was already received.',
    zh: '谢谢！本次消费的评价已收到。',
  },
  feedback_not_yet: {
    status: 409,
    en: 'Feedback opens once the visit is paid or its slip issued.',
    zh: '付款完成或开具小单后才能评价。',
  },
  complaint_unknown: { status: 404, en: 'No such complaint.', zh: '投诉不存在。' },
  complaint_not_open: {
    status: 409,
    en: 'This complaint is already resolved; reopen it first.',
    zh: '该投诉已处理完毕，请先重新打开。',
  },
  complaint_not_resolved: { status: 409, en: 'This complaint is still open.', zh: '该投诉仍在处理中。' },
  compensation_refund_unavailable: {
    status: 409,
    en: 'No card or wallet payment on this sale can give that much back (cash refunds are given at the till).',
    zh: '该销售单没有可退这么多的银行卡或钱包付款（现金退款请在收银台办理）。',
  },
  refund_exceeds_refundable: {
    status: 409,
    en: 'That is more than this payment still has to give back: earlier refunds of it are counted.',
    zh: '超过了这笔付款尚可退还的金额（已扣除此前的退款）。',
  },
  refund_outside_providers: {
    status: 409,
    en: 'Part of this sale was paid outside the tills (a transfer the statement confirmed): it cannot be given back through a terminal. Refund it from the store’s account first.',
    zh: '该销售单部分款项不是通过收银台收取的（经对账确认的转账），无法通过终端退回。请先从门店账户退款。',
  },
  recon_case_unknown: { status: 404, en: 'No such reconciliation case.', zh: '对账差异不存在。' },
  recon_case_not_open: {
    status: 409,
    en: 'This reconciliation case is already resolved; reopen it first.',
    zh: '该对账差异已处理，请先重新打开。',
  },
  recon_case_not_resolved: {
    status: 409,
    en: 'This reconciliation case is still open.',
    zh: '该对账差异仍未处理。',
  },
  recon_no_such_candidate: {
    status: 422,
    en: 'Pick one of the sales this money could belong to.',
    zh: '请从可能的销售单中选择一个。',
  },
  recon_link_on_review_desk: {
    status: 409,
    en: 'This money belongs to a payment attempt: settle it on the payment review desk, where the provider is asked first.',
    zh: '该款项属于一笔支付尝试，请在支付核查中处理（先向支付机构核实）。',
  },
  recon_refund_needs_attempt: {
    status: 409,
    en: 'No payment of ours took this money, so it cannot be refunded from here: refund it in the provider’s merchant portal, then write the case off.',
    zh: '该款项不是通过本系统收取的，无法在此退款：请在支付机构商户后台退款，然后核销此差异。',
  },
  day_close_unknown_attempts: {
    status: 409,
    en: 'Payments are still being checked on this till: wait for their answer, or acknowledge each one to close anyway (they stay on the report).',
    zh: '该收银台仍有支付正在核实：请等待结果，或逐笔确认后再结账（会记入报表）。',
  },
  day_close_bad_count: {
    status: 422,
    en: 'Count each denomination as a whole number of notes or coins.',
    zh: '请按面额填写整数张数或枚数。',
  },
  day_close_done: {
    status: 409,
    en: 'This till’s day is already closed; its report cannot change.',
    zh: '该收银台当日已结账，报表不可更改。',
  },
  day_close_unknown: { status: 404, en: 'No such day close.', zh: '日结记录不存在。' },
  day_close_none: {
    status: 404,
    en: 'No till of this store is closed for that day yet: close a till first.',
    zh: '该门店这一天还没有收银台日结，请先为收银台日结。',
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
  payment_in_progress: {
    status: 409,
    en: 'A payment is in progress for this sale. Wait for it to finish (or cancel it at the terminal).',
    zh: '该销售单正在支付中。请等待支付完成（或在终端上取消）。',
  },
  sale_partly_paid: {
    status: 409,
    en: 'Part of this sale is already paid: it cannot be changed below what was paid, or voided as if unpaid.',
    zh: '该销售单已部分付款：金额不能低于已付金额，也不能按未付款作废。',
  },
  amount_exceeds_due: {
    status: 422,
    en: 'The amount is more than what is still due.',
    zh: '金额超过了应付余额。',
  },
  slip_attempt_at_terminal: {
    status: 409,
    en: 'The card is at the terminal right now: wait for its answer (a few seconds). If the bank is then still checking, a slip can be issued.',
    zh: '银行卡正在终端上操作，请等待结果（几秒钟）。如之后银行仍在确认，再开具小单。',
  },
  till_day_closed: {
    status: 409,
    en: 'This till’s day is closed (its Z report is final): it takes no more sales or payments today. Use another till.',
    zh: '本收银台今日已日结（Z 报表已定稿），今天不能再开单或收款。请使用其他收银台。',
  },
  till_held: {
    status: 409,
    en: 'This till is still waiting for the bank’s answer on a sale’s payment. Wait for it, have a manager lift the lock, or put that sale on a provisional slip — do not charge the customer again.',
    zh: '本收银台仍在等待一笔销售单的支付结果（银行尚未答复）。请等待结果、请经理解除锁定，或为该单开具小单——切勿再次向顾客收款。',
  },
  terminal_busy: {
    status: 409,
    en: 'The card terminal is already handling a payment. Finish or cancel that one first.',
    zh: '刷卡终端正在处理另一笔支付，请先完成或取消。',
  },
  tender_unavailable: {
    status: 409,
    en: 'No card terminal is set up for this till. Use a QR wallet or cash.',
    zh: '此收银台未配置刷卡终端，请使用扫码或现金。',
  },
  attempt_unknown: { status: 404, en: 'No such payment attempt.', zh: '支付尝试不存在。' },
  wallet_code_unknown: {
    status: 422,
    en: 'This is not an Alipay or WeChat Pay payment code. Ask the customer to open the payment code (付款码) in the app and scan it again.',
    zh: '这不是支付宝或微信的付款码。请顾客在 App 中打开付款码后重新扫码。',
  },
  wallet_unavailable: {
    status: 409,
    en: 'This wallet is not set up for this store. Use a bank card or cash.',
    zh: '本店未开通此钱包支付，请使用银行卡或现金。',
  },
  review_not_pending: {
    status: 409,
    en: 'This payment is not waiting for a review (it was settled meanwhile).',
    zh: '该笔支付不在待核查状态（可能已被处理）。',
  },
  review_provider_disagrees: {
    status: 409,
    en: 'The payment provider says otherwise: choose what matches its record.',
    zh: '支付机构的记录与此不符，请按其记录处理。',
  },
  review_provider_unclear: {
    status: 409,
    en: 'The payment provider gave no clear answer. Ask it again in a moment; nothing was changed.',
    zh: '支付机构暂未给出明确答复，请稍后再查询；未做任何更改。',
  },
  review_sale_moved_on: {
    status: 409,
    en: 'The sale no longer waits for this payment (it was paid another way or voided): refund it instead.',
    zh: '该销售单已不再等待此笔支付（已用其他方式付款或已作废），请改为退款。',
  },
  review_not_a_payment: {
    status: 409,
    en: 'Only a payment can be refunded; this is a refund.',
    zh: '只有收款可以退款，此笔本身是退款。',
  },
  notice_malformed: {
    status: 400,
    en: 'This provider message cannot be read; nothing was changed.',
    zh: '无法读取该支付机构消息，未做任何更改。',
  },
  void_needs_card_refund: {
    status: 409,
    en: 'This sale was paid by card: its money goes back through the terminal as a refund, not by a void.',
    zh: '该销售单为刷卡支付：需通过终端退款，不能直接作废。',
  },
  unauthenticated: { status: 401, en: 'Sign in first.', zh: '请先登录。' },
  session_invalid: {
    status: 401,
    en: 'This sign-in is not recognised. Sign in again.',
    zh: '无法识别当前登录，请重新登录。',
  },
  session_expired: {
    status: 401,
    en: 'Your session has expired. Sign in again.',
    zh: '登录已过期，请重新登录。',
  },
  session_ended: {
    status: 401,
    en: 'This session was ended (signed out or another cashier took over). Sign in again.',
    zh: '该登录已结束（已退出或已换班），请重新登录。',
  },
  session_revoked: {
    status: 401,
    en: 'This account has been removed or disabled. Ask a manager.',
    zh: '该账号已被删除或停用，请联系店长。',
  },
  csrf_failed: {
    status: 403,
    en: 'The request did not come from this app. Reload the page and try again.',
    zh: '请求并非来自本应用。请刷新页面后重试。',
  },
  forbidden: { status: 403, en: 'Your role may not do this.', zh: '您的角色无权执行此操作。' },
  wrong_surface: {
    status: 403,
    en: 'This is done in the back office, signed in with a password.',
    zh: '此操作需在后台用密码登录后进行。',
  },
  other_store: { status: 403, en: 'This belongs to another store.', zh: '这属于其他门店。' },
  sign_in_failed: {
    status: 401,
    en: 'Wrong staff code, PIN or password.',
    zh: '员工编号、PIN 或密码错误。',
  },
  sign_in_delayed: {
    status: 429,
    en: 'Too many wrong attempts. Wait a moment, then try again.',
    zh: '错误次数过多，请稍候再试。',
  },
  account_locked: {
    status: 423,
    en: 'Too many wrong attempts: this account is locked for a while. A manager can help.',
    zh: '错误次数过多，账号已暂时锁定。请联系店长。',
  },
  approval_required: {
    status: 403,
    en: 'This needs approval by a supervisor or manager.',
    zh: '此操作需要主管或店长批准。',
  },
  approval_self: { status: 403, en: 'You cannot approve your own request.', zh: '不能批准自己的请求。' },
  approval_role_too_low: {
    status: 403,
    en: 'The approver’s role is not high enough for this.',
    zh: '批准人的角色权限不足。',
  },
  approval_other_store: {
    status: 403,
    en: 'The approver works in another store.',
    zh: '批准人属于其他门店。',
  },
  approval_inactive: { status: 403, en: 'The approver’s account is disabled.', zh: '批准人的账号已停用。' },
  approval_invalid: {
    status: 409,
    en: 'This approval cannot be used here (already used, expired, or for another action or sale).',
    zh: '该批准不能用于此处（已使用、已过期，或属于其他操作或销售单）。',
  },
  approval_unknown: { status: 404, en: 'No such approval request.', zh: '审批请求不存在。' },
  approval_not_pending: {
    status: 409,
    en: 'This request has already been decided.',
    zh: '该请求已处理。',
  },
  staff_unknown: { status: 404, en: 'No such staff member.', zh: '员工不存在。' },
  staff_code_taken: { status: 409, en: 'This staff code is already used.', zh: '该员工编号已被使用。' },
  role_not_grantable: {
    status: 403,
    en: 'You can only manage staff whose role is below your own.',
    zh: '只能管理角色低于自己的员工。',
  },
  staff_self_change: {
    status: 409,
    en: 'You cannot change your own role or disable yourself.',
    zh: '不能修改自己的角色或停用自己。',
  },
  pin_format: { status: 422, en: 'A PIN is 4 to 6 digits.', zh: 'PIN 为 4 到 6 位数字。' },
  pin_too_simple: {
    status: 422,
    en: 'This PIN is too easy to guess (same digit or a straight run).',
    zh: 'PIN 过于简单（相同数字或连续数字）。',
  },
  password_too_short: {
    status: 422,
    en: 'A password needs at least 10 characters.',
    zh: '密码至少需要 10 个字符。',
  },
  password_too_simple: {
    status: 422,
    en: 'A password cannot be only digits.',
    zh: '密码不能全是数字。',
  },
  search_invalid: {
    status: 422,
    en: 'The search is not valid (check the dates).',
    zh: '查询条件无效（请检查日期）。',
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
