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
