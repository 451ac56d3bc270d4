/**
 * Statement files laid out as the providers lay them out (docs/providers.md, "Statements"), for tests that need a
 * line the sandboxes' own ledgers cannot hold — money taken outside our tills.
 */
import iconv from 'iconv-lite';
import { zipStored } from '../../src/sandbox/zip';

export const ALIPAY_HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';

/** One detail row; `finished` is China time (`2026-11-23 10:00:05`). */
export function alipayRow(
  trade: string,
  order: string,
  kind: string,
  amount: string,
  options: { requestNo?: string; fee?: string; finished?: string; terminal?: string } = {},
): string {
  const finished = options.finished ?? '2026-11-23 10:00:05';
  return [
    trade,
    order,
    kind,
    '羊绒开衫',
    finished,
    finished,
    'SH01',
    '',
    'c1',
    options.terminal ?? 'T1',
    'li***@x.com',
    amount,
    amount,
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '',
    '0.00',
    '0.00',
    options.requestNo ?? '',
    options.fee ?? '-0.54',
    '0.00',
    '',
  ]
    .map((c) => `${c}\t`)
    .join(',');
}

/** The `.csv.zip` Alipay serves: the GBK detail CSV (comments around the data) and the summary. */
export function alipayBillZip(rows: readonly string[]): Buffer {
  const detail = [
    '#支付宝业务明细查询',
    '#账号：[2088]',
    '#-----------------------------------------业务明细列表----------------------------------------',
    ALIPAY_HEADER,
    ...rows,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${rows.length}笔`,
    '#导出时间：[2026-11-24 10:00:00]',
  ].join('\r\n');
  return zipStored([
    { name: '2088_20261123_业务明细.csv', data: iconv.encode(detail, 'gbk') },
    {
      name: '2088_20261123_业务明细(汇总).csv',
      data: iconv.encode('#支付宝业务汇总查询\r\n,合计,1,1\r\n', 'gbk'),
    },
  ]);
}

/** WeChat Pay's ALL bill header (27 columns). */
export const WECHAT_ALL =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
/** One ALL row, every field after a backtick; cells not given are a paid barcode payment's. */
export const wechatRow = (cells: Partial<Record<string, string>>) => {
  const names = WECHAT_ALL.split(',');
  const base: Record<string, string> = {
    交易时间: '2026-11-23 10:00:05',
    公众账号ID: 'wx1',
    商户号: '190',
    特约商户号: '0',
    设备号: 'T1',
    微信订单号: '4200001',
    商户订单号: 'SH01-T1-0001',
    用户标识: 'o1',
    交易类型: 'MICROPAY',
    交易状态: 'SUCCESS',
    付款银行: 'CMB_DEBIT',
    货币种类: 'CNY',
    应结订单金额: '899.00',
    代金券金额: '0.00',
    微信退款单号: '0',
    商户退款单号: '',
    退款金额: '0.00',
    充值券退款金额: '0.00',
    退款类型: '',
    退款状态: '',
    商品名称: '羊绒开衫',
    商户数据包: '',
    手续费: '5.39',
    费率: '0.60%',
    订单金额: '899.00',
    申请退款金额: '0.00',
    费率备注: '',
  };
  return names.map((n) => `\`${cells[n] ?? base[n]}`).join(',');
};
/** A WeChat Pay bill: the header, the rows, the summary header and its line. */
export const wechatBill = (rows: string[]) =>
  Buffer.from(
    [
      WECHAT_ALL,
      ...rows,
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      '`2,`899.00,`0.00,`0.00,`5.39000,`899.00,`0.00',
    ].join('\r\n'),
  );

/** Our card settlement import profile's header. */
export const CARD_HEADER =
  '商户号,终端号,批次号,凭证号,参考号,授权码,卡号,交易类型,交易时间,交易金额,手续费,结算金额,清算日期,商户订单号';
