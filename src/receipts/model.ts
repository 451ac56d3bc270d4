/**
 * What a receipt says, in one language, independent of how it is printed. Both the ESC/POS and the
 * HTML renderer draw this document, so the paper and the screen never disagree.
 */
import { type Bilingual, displayYuan, type Lang, localDateTime, pick } from '../kernel';
import type { ReturnPolicy } from '../shared';
import type { StoreView } from '../stores';

export interface ReceiptLine {
  name: string;
  detail: string;
  qtyAndPrice: string;
  amount: string;
  discount: string | null;
}

export interface ReceiptDoc {
  lang: Lang;
  title: string;
  storeName: string;
  storeAddress: string;
  storePhone: string;
  reprintMark: string | null;
  facts: [string, string][];
  lines: ReceiptLine[];
  totals: [string, string][];
  grandTotal: [string, string];
  tenders: [string, string][];
  qrUrl: string;
  qrCaption: string;
  footer: string[];
}

export interface ReceiptSource {
  store: Pick<
    StoreView,
    'nameZh' | 'nameEn' | 'addressZh' | 'addressEn' | 'phone' | 'timeZone' | 'returnTerms'
  >;
  tillName: string;
  cashierName: string;
  sale: {
    number: string;
    completedAt: string | null;
    openedAt: string;
    lines: {
      nameZh: string;
      nameEn: string;
      size: string;
      colourZh: string;
      colourEn: string;
      sku: string;
      qty: number;
      unitPriceFen: number;
      grossFen: number;
      lineDiscountFen: number;
    }[];
    subtotalFen: number;
    lineDiscountFen: number;
    saleDiscountFen: number;
    totalFen: number;
    /** Every payment row; only what paid for the goods (`succeeded`) is printed. */
    payments: { tender: string; status: string; amountFen: number; tenderedFen: number; changeFen: number }[];
  };
  printNo: number;
  qrUrl: string;
  /** Tenders of this sale taken by a sandbox provider: no money moved, and the receipt says so. */
  sandboxTenders?: ReadonlySet<string>;
}

const T = {
  title: { zh: '销售小票', en: 'SALES RECEIPT' },
  reprint: { zh: '*** 重印 ***', en: '*** REPRINT ***' },
  number: { zh: '单号', en: 'Sale no.' },
  time: { zh: '时间', en: 'Time' },
  till: { zh: '收银台', en: 'Till' },
  cashier: { zh: '收银员', en: 'Cashier' },
  subtotal: { zh: '商品合计', en: 'Subtotal' },
  lineDiscounts: { zh: '单品折扣', en: 'Item discounts' },
  saleDiscount: { zh: '整单折扣', en: 'Sale discount' },
  total: { zh: '应付', en: 'TOTAL' },
  discount: { zh: '折扣', en: 'discount' },
  cash: { zh: '现金', en: 'Cash' },
  card: { zh: '银行卡', en: 'Bank card' },
  tendered: { zh: '实收现金', en: 'Cash tendered' },
  change: { zh: '找零', en: 'Change' },
  qrCaption: { zh: '扫码查看电子小票并评价', en: 'Scan: e-receipt, rate your visit' },
  thanks: { zh: '谢谢惠顾，欢迎再次光临！', en: 'Thank you for shopping with us!' },
  sandbox: { zh: '（沙箱）', en: ' (SANDBOX)' },
  sandboxNote: {
    zh: '*** 沙箱支付：演示或培训，未发生真实扣款 ***',
    en: '*** SANDBOX payment: demo or training, no money moved ***',
  },
} satisfies Record<string, Bilingual>;

const TENDERS: Record<string, Bilingual> = {
  cash: T.cash,
  card: T.card,
  alipay: { zh: '支付宝', en: 'Alipay' },
  wechat: { zh: '微信支付', en: 'WeChat Pay' },
  bank_transfer: { zh: '银行转账', en: 'Bank transfer' },
  exchange_credit: { zh: '换货抵扣', en: 'Exchange credit' },
};

/** The store's return policy as the receipt prints it: its own days, and whether the receipt is needed. */
export function returnPolicyLine(policy: ReturnPolicy, lang: Lang): string {
  const n = policy.windowDays;
  if (policy.receiptRequired)
    return lang === 'zh-CN'
      ? `凭小票 ${n} 天内可退换（吊牌完好）`
      : `Returns within ${n} days with this receipt, tags attached`;
  return lang === 'zh-CN' ? `${n} 天内可退换（吊牌完好）` : `Returns within ${n} days, tags attached`;
}

export function buildReceipt(source: ReceiptSource, lang: Lang): ReceiptDoc {
  const t = (k: keyof typeof T) => pick(T[k], lang);
  const { sale, store } = source;
  const totals: [string, string][] = [[t('subtotal'), displayYuan(sale.subtotalFen)]];
  if (sale.lineDiscountFen > 0) totals.push([t('lineDiscounts'), displayYuan(-sale.lineDiscountFen)]);
  if (sale.saleDiscountFen > 0) totals.push([t('saleDiscount'), displayYuan(-sale.saleDiscountFen)]);
  const tenders: [string, string][] = [];
  // A duplicate charge and its refund are the customer's money passing through, not this sale's.
  for (const p of sale.payments.filter((x) => x.status === 'succeeded')) {
    const name = TENDERS[p.tender] ? pick(TENDERS[p.tender]!, lang) : p.tender;
    const sandbox = source.sandboxTenders?.has(p.tender) ? t('sandbox') : '';
    tenders.push([`${name}${sandbox}`, displayYuan(p.amountFen)]);
    if (p.tender === 'cash') {
      tenders.push([t('tendered'), displayYuan(p.tenderedFen)]);
      tenders.push([t('change'), displayYuan(p.changeFen)]);
    }
  }
  return {
    lang,
    title: t('title'),
    storeName: lang === 'zh-CN' ? store.nameZh : store.nameEn,
    storeAddress: lang === 'zh-CN' ? store.addressZh : store.addressEn,
    storePhone: store.phone,
    reprintMark: source.printNo > 1 ? t('reprint') : null,
    facts: [
      [t('number'), sale.number],
      [t('time'), localDateTime(new Date(sale.completedAt ?? sale.openedAt), store.timeZone)],
      [t('till'), source.tillName],
      [t('cashier'), source.cashierName],
    ],
    lines: sale.lines.map((l) => ({
      name: lang === 'zh-CN' ? l.nameZh : l.nameEn,
      detail: `${l.sku} ${l.size} ${lang === 'zh-CN' ? l.colourZh : l.colourEn}`,
      qtyAndPrice: `${l.qty} x ${displayYuan(l.unitPriceFen)}`,
      amount: displayYuan(l.grossFen),
      discount: l.lineDiscountFen > 0 ? `${t('discount')} ${displayYuan(-l.lineDiscountFen)}` : null,
    })),
    totals,
    grandTotal: [t('total'), displayYuan(sale.totalFen)],
    tenders,
    qrUrl: source.qrUrl,
    qrCaption: t('qrCaption'),
    footer: [
      ...(source.sandboxTenders?.size ? [t('sandboxNote')] : []),
      t('thanks'),
      returnPolicyLine(store.returnTerms.policy, lang),
    ],
  };
}

// ---------------------------------------------------------------- provisional slip (小单)

const S = {
  title: { zh: '小单（未结清）', en: 'PROVISIONAL SLIP' },
  notReceipt: {
    zh: '此单不是收据：付清应付金额后交易方完成。',
    en: 'Not a receipt: the purchase completes once the amount due is paid.',
  },
  slipNo: { zh: '小单号', en: 'Slip no.' },
  saleNo: { zh: '销售单号', en: 'Sale no.' },
  issued: { zh: '开单时间', en: 'Issued' },
  customer: { zh: '顾客', en: 'Customer' },
  phone: { zh: '电话', en: 'Phone' },
  reason: { zh: '原因', en: 'Reason' },
  goods: { zh: '商品', en: 'Goods' },
  goodsTaken: { zh: '顾客已带走', en: 'taken by the customer' },
  goodsHeld: { zh: '由门店保管', en: 'held by the store' },
  followUp: { zh: '门店将于此时间前联系', en: 'The store will call by' },
  paidSoFar: { zh: '已付', en: 'Paid so far' },
  due: { zh: '应付余额', en: 'AMOUNT DUE' },
  pending: {
    zh: '另有一笔支付正在与银行确认，确认成功后本单自动结清。',
    en: 'A payment is still being checked with the bank; if it went through, this slip settles by itself.',
  },
  qrCaption: { zh: '扫码查看、付款并评价', en: 'Scan to pay what is due, rate us' },
} satisfies Record<string, Bilingual>;

export interface SlipSource extends Omit<ReceiptSource, 'printNo'> {
  slip: {
    number: string;
    issuedAt: string;
    customerName: string;
    /** Masked already. */
    customerPhone: string;
    reason: string;
    goods: 'taken' | 'held';
    dueAt: string;
    dueFen: number;
    attemptPending: boolean;
  };
}

/** The provisional slip as a document: the same renderers as a receipt draw it (80 or 58 mm, HTML). */
export function buildSlip(source: SlipSource, lang: Lang): ReceiptDoc {
  const receipt = buildReceipt({ ...source, printNo: 1 }, lang);
  const s = (k: keyof typeof S) => pick(S[k], lang);
  const { slip, store } = source;
  const when = (iso: string) => localDateTime(new Date(iso), store.timeZone);
  return {
    ...receipt,
    title: s('title'),
    facts: [
      [s('slipNo'), slip.number],
      [s('saleNo'), source.sale.number],
      [s('issued'), when(slip.issuedAt)],
      ...receipt.facts.slice(2), // till, cashier
      [s('customer'), slip.customerName],
      [s('phone'), slip.customerPhone],
      [s('reason'), slip.reason],
      [s('goods'), s(slip.goods === 'taken' ? 'goodsTaken' : 'goodsHeld')],
      [s('followUp'), when(slip.dueAt)],
    ],
    tenders: [
      ...receipt.tenders.filter(([name]) => name !== pick(T.tendered, lang) && name !== pick(T.change, lang)),
      [s('paidSoFar'), displayYuan(source.sale.totalFen - slip.dueFen)],
    ],
    grandTotal: [s('due'), displayYuan(slip.dueFen)],
    qrCaption: s('qrCaption'),
    footer: [s('notReceipt'), ...(slip.attemptPending ? [s('pending')] : [])],
  };
}
