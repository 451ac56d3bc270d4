/** The QR wallets, and which one a scanned payment code belongs to. Pure. */

export type Wallet = 'alipay' | 'wechat';

/**
 * Which wallet a scanned payment code belongs to: Alipay's are 16–24 digits beginning 25–30,
 * WeChat Pay's 18 digits beginning 10–15. Anything else (an item's barcode, a card number, a
 * code typed wrong) is neither.
 */
export function walletOfCode(code: string): Wallet | null {
  if (!/^\d+$/.test(code)) return null;
  const head = Number(code.slice(0, 2));
  if (code.length === 18 && head >= 10 && head <= 15) return 'wechat';
  if (code.length >= 16 && code.length <= 24 && head >= 25 && head <= 30) return 'alipay';
  return null;
}
