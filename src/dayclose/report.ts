/**
 * The Z report as a printed document: the receipt renderers draw it (ESC/POS on the thermal
 * printer, HTML on screen), in one language, from the report kept at close — never recomputed.
 */
import { displayYuan, type Lang, localDateTime, pick } from '../kernel';
import type { ReceiptDoc } from '../receipts';
import type { StoreView } from '../stores';
import { DENOMINATIONS_FEN, type ZReport } from './model';

const T = {
  title: { zh: '日结报表（Z 报表）', en: 'DAY CLOSE (Z REPORT)' },
  storeTitle: { zh: '全店日结报表（Z 报表）', en: 'STORE DAY CLOSE (Z REPORT)' },
  day: { zh: '营业日', en: 'Business day' },
  till: { zh: '收银台', en: 'Till' },
  closedBy: { zh: '结账人', en: 'Closed by' },
  closedAt: { zh: '结账时间', en: 'Closed at' },
  sales: { zh: '收款 {n} 笔', en: '{n} sales' },
  refunds: { zh: '退款 {n} 笔 {amount}', en: '{n} refunds {amount}' },
  duplicates: { zh: '重复扣款 {amount}', en: 'charged twice {amount}' },
  float: { zh: '备用金', en: 'Float' },
  expected: { zh: '应有现金', en: 'Cash expected' },
  counted: { zh: '实点现金', en: 'Cash counted' },
  over: { zh: '长款', en: 'Over' },
  short: { zh: '短款', en: 'Short' },
  even: { zh: '现金相符', en: 'Cash agrees' },
  net: { zh: '净收入', en: 'Net takings' },
  cardRecorded: { zh: '银行卡（本系统）', en: 'Card (recorded)' },
  batch: { zh: '终端批结算', en: 'Terminal batch' },
  batchDiff: { zh: '终端差额', en: 'Terminal difference' },
  batchNone: { zh: '终端批结算：未录入', en: 'Terminal batch: not entered' },
  unknown: {
    zh: '仍在核实的支付 {n} 笔（店长已确认：{ids}）',
    en: '{n} payments still being checked (acknowledged by the manager: {ids})',
  },
  noUnknown: { zh: '没有仍在核实的支付', en: 'No payment still being checked' },
  slips: { zh: '未结小单 {n} 张', en: '{n} provisional slips open' },
  caption: { zh: '扫码查看日结报表', en: 'Scan for this report' },
  immutable: { zh: '本报表结账后不可更改', en: 'This report cannot change once closed' },
  wholeStore: { zh: '全店（{n} 台收银台）', en: 'Whole store ({n} tills)' },
  notClosed: { zh: '尚未日结的收银台：{names}', en: 'Tills not closed yet: {names}' },
  allClosed: {
    zh: '全部收银台已日结，本报表不再改变',
    en: 'Every till is closed: this report no longer changes',
  },
} as const;

const TENDER = {
  cash: { zh: '现金', en: 'Cash' },
  card: { zh: '银行卡', en: 'Card' },
  alipay: { zh: '支付宝', en: 'Alipay' },
  wechat: { zh: '微信支付', en: 'WeChat Pay' },
  bank_transfer: { zh: '银行转账', en: 'Bank transfer' },
  exchange_credit: { zh: '换货抵扣', en: 'Exchange credit' },
} as const;

export function buildZReport(
  input: {
    store: Pick<StoreView, 'nameZh' | 'nameEn' | 'addressZh' | 'addressEn' | 'phone' | 'timeZone'>;
    tillName: string;
    day: string;
    closedByName: string;
    closedAt: string;
    report: ZReport;
    url: string;
    /** For the store's day: how many tills it adds up, and the names of those not closed yet. */
    wholeStore?: { tills: number; notClosed: string[] };
  },
  lang: Lang,
): ReceiptDoc {
  const t = (k: keyof typeof T, vars: Record<string, string | number> = {}) =>
    pick(T[k], lang).replace(/\{(\w+)\}/g, (_, n: string) => String(vars[n] ?? ''));
  const r = input.report;
  const tenderName = (x: string) => (x in TENDER ? pick(TENDER[x as keyof typeof TENDER], lang) : x);
  const overShort: [string, string] =
    r.overShortFen === 0
      ? [t('even'), displayYuan(0)]
      : [t(r.overShortFen > 0 ? 'over' : 'short'), displayYuan(Math.abs(r.overShortFen))];
  return {
    lang,
    title: t(input.wholeStore ? 'storeTitle' : 'title'),
    storeName: lang === 'zh-CN' ? input.store.nameZh : input.store.nameEn,
    storeAddress: lang === 'zh-CN' ? input.store.addressZh : input.store.addressEn,
    storePhone: input.store.phone,
    reprintMark: null,
    facts: [
      [t('day'), input.day],
      [t('till'), input.wholeStore ? t('wholeStore', { n: input.wholeStore.tills }) : input.tillName],
      [t('closedBy'), input.closedByName],
      [t('closedAt'), localDateTime(new Date(input.closedAt), input.store.timeZone)],
    ],
    lines: r.tenders.map((x) => ({
      name: tenderName(x.tender),
      detail: [
        t('sales', { n: x.salesCount }),
        ...(x.refundsCount > 0
          ? [t('refunds', { n: x.refundsCount, amount: displayYuan(x.refundsFen) })]
          : []),
        ...(x.duplicatesFen !== 0 ? [t('duplicates', { amount: displayYuan(x.duplicatesFen) })] : []),
      ].join(' · '),
      qtyAndPrice: displayYuan(x.salesFen),
      amount: displayYuan(x.netFen),
      discount: null,
    })),
    totals: [
      [t('float'), displayYuan(r.floatFen)],
      [t('expected'), displayYuan(r.cashExpectedFen)],
      [t('counted'), displayYuan(r.cashCountedFen)],
      overShort,
      [t('cardRecorded'), displayYuan(r.cardRecordedFen)],
      ...(r.terminalBatchFen === null
        ? []
        : ([
            [t('batch'), displayYuan(r.terminalBatchFen)],
            [t('batchDiff'), displayYuan(r.batchDifferenceFen ?? 0)],
          ] as [string, string][])),
    ],
    grandTotal: [t('net'), displayYuan(r.tenders.reduce((sum, x) => sum + x.netFen, 0))],
    tenders: DENOMINATIONS_FEN.filter((d) => (r.count[`${d}`] ?? 0) > 0).map((d) => [
      `${displayYuan(d)} × ${r.count[`${d}`]}`,
      displayYuan(d * (r.count[`${d}`] ?? 0)),
    ]),
    qrUrl: input.url,
    qrCaption: t('caption'),
    footer: [
      r.unknownAttemptIds.length === 0
        ? t('noUnknown')
        : t('unknown', { n: r.unknownAttemptIds.length, ids: r.acknowledgedIds.join(', ') }),
      t('slips', { n: r.openSlips }),
      ...(r.terminalBatchFen === null ? [t('batchNone')] : []),
      !input.wholeStore
        ? t('immutable')
        : input.wholeStore.notClosed.length === 0
          ? t('allClosed')
          : t('notClosed', { names: input.wholeStore.notClosed.join(', ') }),
    ],
  };
}
