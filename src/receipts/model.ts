/**
 * What a receipt says, in one language, independent of how it is printed. Both the ESC/POS and the
 * HTML renderer draw this document, so the paper and the screen never disagree.
 */
import { type Bilingual, displayYuan, type Lang, localDateTime, pick } from '../kernel';
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
  store: Pick<StoreView, 'nameZh' | 'nameEn' | 'addressZh' | 'addressEn' | 'phone' | 'timeZone'>;
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
  qrCaption: { zh: '扫码查看电子小票', en: 'Scan for your e-receipt' },
  thanks: { zh: '谢谢惠顾，欢迎再次光临！', en: 'Thank you for shopping with us!' },
  returns: {
    zh: '凭小票 7 天内可退换（吊牌完好）',
    en: 'Returns within 7 days with this receipt, tags attached',
  },
} satisfies Record<string, Bilingual>;

const TENDERS: Record<string, Bilingual> = { cash: T.cash, card: T.card };

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
    tenders.push([name, displayYuan(p.amountFen)]);
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
    footer: [t('thanks'), t('returns')],
  };
}
