/**
 * The trade bill of a day (`yyyy-MM-dd`, China time) as Alipay serves it: a zip holding the detail
 * and the summary CSVs, GBK-encoded, with `#` lines before and after the data (docs/providers.md,
 * "Alipay's trade bill").
 */
import iconv from 'iconv-lite';
import { formatYuan } from '../kernel';
import type { AlipayRefund, AlipayTrade } from './alipay';
import { chinaTime } from './http-kit';
import { zipStored } from './zip';

export interface BillInput {
  appId: string;
  date: string;
  /** Every trade, settled as of now; and every refund. */
  trades: readonly AlipayTrade[];
  refunds: readonly AlipayRefund[];
  tradeOf(outTradeNo: string): AlipayTrade;
  exportedAt: string;
}

export function alipayBill(input: BillInput): Buffer {
  const { appId, date } = input;
  const day = (iso: string) => chinaTime(iso).slice(0, 10);
  const lines: string[] = [];
  let paidCount = 0;
  let paidFen = 0;
  let refundCount = 0;
  let refundFen = 0;
  const fee = (fen: number) => Math.round(fen * 0.006);
  for (const t of input.trades) {
    if (!t.paidAt || day(t.paidAt) !== date) continue;
    paidCount++;
    paidFen += t.amountFen;
    lines.push(billRow(t, '交易', t.amountFen, '', -fee(t.amountFen), t.createdAt, t.paidAt));
  }
  for (const r of input.refunds) {
    if (day(r.at) !== date) continue;
    const t = input.tradeOf(r.outTradeNo);
    refundCount++;
    refundFen += r.amountFen;
    lines.push(billRow(t, '退款', -r.amountFen, r.outRequestNo, fee(r.amountFen), r.at, r.at));
  }
  const exported = chinaTime(input.exportedAt);
  const detail = [
    '#支付宝业务明细查询',
    `#账号：[${appId}]`,
    `#起始日期：[${date} 00:00:00]   终止日期：[${date} 23:59:59]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    BILL_HEADER,
    ...lines,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${paidCount}笔，商家实收共${formatYuan(paidFen)}元，商家优惠共0.00元`,
    `#退款合计：${refundCount}笔，商家实收退款共${formatYuan(-refundFen)}元，商家优惠退款共0.00元`,
    `#导出时间：[${exported}]`,
  ].join('\r\n');
  const summary = [
    '#支付宝业务汇总查询',
    `#账号：[${appId}]`,
    '门店编号,门店名称,交易订单总笔数,退款订单总笔数,订单金额（元）,商家实收（元）,服务费（元）,实收净额（元）',
    `,合计,${paidCount},${refundCount},${formatYuan(paidFen - refundFen)},${formatYuan(paidFen - refundFen)},${formatYuan(-fee(paidFen) + fee(refundFen))},${formatYuan(paidFen - refundFen - fee(paidFen) + fee(refundFen))}`,
    `#导出时间：[${exported}]`,
  ].join('\r\n');
  const stem = `${appId}_${date.replaceAll('-', '')}`;
  return zipStored([
    { name: `${stem}_业务明细.csv`, data: iconv.encode(`${detail}\r\n`, 'gbk') },
    { name: `${stem}_业务明细(汇总).csv`, data: iconv.encode(`${summary}\r\n`, 'gbk') },
  ]);
}

function billRow(
  t: AlipayTrade,
  kind: '交易' | '退款',
  amountFen: number,
  requestNo: string,
  feeFen: number,
  created: string,
  finished: string,
): string {
  const cells = [
    t.tradeNo,
    t.outTradeNo,
    kind,
    t.subject,
    chinaTime(created),
    chinaTime(finished),
    t.storeId,
    '',
    t.operatorId,
    t.terminalId,
    t.buyerLogonId,
    formatYuan(amountFen),
    formatYuan(amountFen),
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '',
    '0.00',
    '0.00',
    requestNo,
    formatYuan(feeFen),
    '0.00',
    '',
  ];
  // Alipay's cells end with a tab (readers strip it).
  return cells.map((c) => `${c}\t`).join(',');
}

const BILL_HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';
