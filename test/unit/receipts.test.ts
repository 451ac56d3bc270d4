import { describe, expect, it } from 'vitest';
import {
  buildReceipt,
  decodeEscPos,
  displayWidth,
  EscPosWriter,
  type ReceiptSource,
  renderEscPos,
  renderHtml,
  returnPolicyLine,
  wrap,
} from '../../src/receipts';
import { DEFAULT_TERMS } from '../../src/stores';

const source: ReceiptSource = {
  store: {
    nameZh: '禾木服饰 上海南京西路店',
    nameEn: 'Hemu Apparel, Nanjing West Rd',
    addressZh: '上海市静安区南京西路 1266 号',
    addressEn: '1266 Nanjing West Road',
    phone: '021-6288 0001',
    timeZone: 'Asia/Shanghai',
    returnTerms: DEFAULT_TERMS,
  },
  tillName: '收银台 1 / Till 1',
  cashierName: '王芳',
  sale: {
    number: 'SH01-20261123-0001',
    openedAt: '2026-11-23T02:00:00.000Z',
    completedAt: '2026-11-23T02:03:00.000Z',
    lines: [
      {
        nameZh: '羊毛圆领毛衣',
        nameEn: 'Wool crew-neck sweater',
        size: 'M',
        colourZh: '灰色',
        colourEn: 'Grey',
        sku: 'KN-301-GRE0-M',
        qty: 2,
        unitPriceFen: 45900,
        grossFen: 91800,
        lineDiscountFen: 9180,
      },
      {
        nameZh: '纯棉圆领T恤',
        nameEn: 'Cotton crew-neck T-shirt',
        size: 'L',
        colourZh: '白色',
        colourEn: 'White',
        sku: 'TS-101-WHI0-L',
        qty: 1,
        unitPriceFen: 7900,
        grossFen: 7900,
        lineDiscountFen: 0,
      },
    ],
    subtotalFen: 99700,
    lineDiscountFen: 9180,
    saleDiscountFen: 520,
    totalFen: 90000,
    payments: [
      { tender: 'cash', status: 'succeeded', amountFen: 90000, tenderedFen: 100000, changeFen: 10000 },
    ],
  },
  printNo: 1,
  qrUrl: 'http://localhost:3000/r/sale_1',
};

describe('ESC/POS receipts', () => {
  it('prints Chinese text in GB18030 inside FS & … FS . and reads back the same words', () => {
    const bytes = renderEscPos(buildReceipt(source, 'zh-CN'), 80);
    expect(bytes.slice(0, 2)).toEqual(Uint8Array.from([0x1b, 0x40])); // ESC @ first
    const decoded = decodeEscPos(bytes);
    const text = decoded.lines.join('\n');
    for (const expected of [
      '禾木服饰 上海南京西路店',
      '销售小票',
      'SH01-20261123-0001',
      '羊毛圆领毛衣',
      '2 x ￥459.00',
      '￥918.00',
      '折扣 -￥91.80',
      '应付',
      '￥900.00',
      '实收现金',
      '￥1,000.00',
      '找零',
      '￥100.00',
      '王芳',
      '2026-11-23 10:03:00',
    ]) {
      expect(text).toContain(expected);
    }
    expect(decoded.qrCodes).toEqual(['http://localhost:3000/r/sale_1']);
    expect(decoded.cuts).toBe(1);
  });

  it('prints English receipts in plain ASCII but for the yuan sign', () => {
    const decoded = decodeEscPos(renderEscPos(buildReceipt(source, 'en'), 80));
    const text = decoded.lines.join('\n');
    expect(text).toContain('SALES RECEIPT');
    expect(text).toContain('Wool crew-neck sweater');
    expect(text).toContain('Change');
  });

  for (const [width, columns] of [
    [58, 32],
    [80, 48],
  ] as const) {
    it(`keeps every row within ${columns} columns on ${width} mm paper, counting CJK as two`, () => {
      for (const lang of ['zh-CN', 'en'] as const) {
        const decoded = decodeEscPos(renderEscPos(buildReceipt(source, lang), width));
        for (const line of decoded.lines) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
      }
    });
  }

  it('prints what paid for the goods, by tender name, and not a duplicate charge passing through', () => {
    const paidTwice: ReceiptSource = {
      ...source,
      sale: {
        ...source.sale,
        payments: [
          { tender: 'card', status: 'succeeded', amountFen: 90000, tenderedFen: 90000, changeFen: 0 },
          { tender: 'card', status: 'duplicate', amountFen: 90000, tenderedFen: 90000, changeFen: 0 },
          { tender: 'card', status: 'duplicate_refunded', amountFen: -90000, tenderedFen: 0, changeFen: 0 },
        ],
      },
    };
    const tenders = buildReceipt(paidTwice, 'en').tenders;
    expect(tenders).toEqual([['Bank card', '￥900.00']]);
    expect(buildReceipt(paidTwice, 'zh-CN').tenders.map(([name]) => name)).toEqual(['银行卡']);
  });

  it('marks reprints', () => {
    const text = decodeEscPos(renderEscPos(buildReceipt({ ...source, printNo: 2 }, 'zh-CN'), 58)).lines.join(
      '\n',
    );
    expect(text).toContain('*** 重印 ***');
    const first = decodeEscPos(renderEscPos(buildReceipt(source, 'zh-CN'), 58)).lines.join('\n');
    expect(first).not.toContain('重印');
  });

  it('the decoder refuses bytes a printer would print as garbage', () => {
    const bad = new EscPosWriter()
      .init()
      .raw(...Buffer.from('价', 'utf8'))
      .bytes();
    expect(() => decodeEscPos(bad)).toThrow(/garbage/);
    expect(() => decodeEscPos(Uint8Array.from([0x1c, 0x26, 0xb1, 0xa6]))).toThrow(/never closed/);
  });

  it('wraps by display width without splitting characters', () => {
    expect(wrap('羊毛圆领毛衣羊毛圆领毛衣', 10)).toEqual(['羊毛圆领毛', '衣羊毛圆领', '毛衣']);
    expect(displayWidth('￥100')).toBe(5);
  });
});

describe('HTML receipts', () => {
  it('shows the same facts with the QR code inline and escapes text', async () => {
    const html = await renderHtml(
      buildReceipt({ ...source, cashierName: '<script>x</script>' }, 'zh-CN'),
      80,
    );
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('羊毛圆领毛衣');
    expect(html).toContain('￥900.00');
    expect(html).toContain('<svg');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('size: 80mm auto');
  });
});

describe('the return policy on the receipt', () => {
  it('prints the store’s own days, and whether the receipt is needed, in both languages', () => {
    const policy = { ...DEFAULT_TERMS.policy, windowDays: 30 };
    expect(returnPolicyLine(policy, 'zh-CN')).toBe('凭小票 30 天内可退换（吊牌完好）');
    expect(returnPolicyLine(policy, 'en')).toBe('Returns within 30 days with this receipt, tags attached');
    expect(returnPolicyLine({ ...policy, receiptRequired: false }, 'zh-CN')).toBe(
      '30 天内可退换（吊牌完好）',
    );
    const doc = buildReceipt(
      { ...source, store: { ...source.store, returnTerms: { ...DEFAULT_TERMS, policy } } },
      'zh-CN',
    );
    expect(doc.footer).toContain('凭小票 30 天内可退换（吊牌完好）');
  });
});
