/**
 * The customer's pay-later page (what the slip's QR code opens): the slip as printed, and below it
 * a way to pay what is due through a wallet — here the sandbox wallets, whose "phone" hands over a
 * payment code — following the payment until it ends. Plain HTML and a few lines of script: it
 * must work on any phone browser without the till's app.
 */
import { displayYuan, escapeHtml, type Lang } from '../kernel';

const T = {
  heading: { zh: '在线付款', en: 'Pay online' },
  payWith: { zh: '用{wallet}支付 {amount}', en: 'Pay {amount} with {wallet}' },
  alipay: { zh: '支付宝（沙箱）', en: 'Alipay (sandbox)' },
  wechat: { zh: '微信支付（沙箱）', en: 'WeChat Pay (sandbox)' },
  paying: { zh: '正在付款，请稍候……', en: 'Paying, one moment…' },
  paid: { zh: '已付清，谢谢！门店已收到。', en: 'Paid — thank you. The store has it.' },
  failed: { zh: '未付款成功：', en: 'Not paid: ' },
  closed: { zh: '此小单已结清或已由门店处理。', en: 'This slip is settled or closed by the store.' },
  awaiting: {
    zh: '门店已登记您的付款凭证，正在与对账单核对，无需再次付款。',
    en: 'The store has your proof of payment and is checking it against the statement. Please do not pay again.',
  },
} as const;

export function payPanelHtml(input: { token: string; status: string; dueFen: number; lang: Lang }): string {
  const t = (k: keyof typeof T) => (input.lang === 'zh-CN' ? T[k].zh : T[k].en);
  const open = input.status === 'issued' && input.dueFen > 0;
  const button = (wallet: 'alipay' | 'wechat') =>
    `<button type="button" data-wallet="${wallet}">${escapeHtml(
      t('payWith').replace('{wallet}', t(wallet)).replace('{amount}', displayYuan(input.dueFen)),
    )}</button>`;
  const words = JSON.stringify({
    paying: t('paying'),
    paid: t('paid'),
    failed: t('failed'),
    closed: t('closed'),
  });
  return `<section class="pay-later" data-testid="pay-later">
<h2>${escapeHtml(t('heading'))}</h2>
${open ? `${button('alipay')}\n${button('wechat')}` : `<p>${escapeHtml(t(input.status === 'awaiting_statement' ? 'awaiting' : 'closed'))}</p>`}
<p id="pay-state" role="status"></p>
</section>
<style>
.pay-later { max-width: 72mm; margin: 12px auto; padding: 12px; background: #fff; font: 15px/1.5 sans-serif; }
.pay-later button { display: block; width: 100%; margin: 8px 0; padding: 12px; font-size: 16px; border-radius: 8px; border: 1px solid #0e6b5c; background: #0e6b5c; color: #fff; }
</style>
<script>
(() => {
  const token = ${JSON.stringify(input.token)};
  const words = ${words};
  const state = document.getElementById('pay-state');
  const key = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  const follow = async () => {
    for (let i = 0; i < 120; i++) {
      const r = await fetch('/api/pay/' + token, { headers: { accept: 'application/json' } });
      const s = await r.json();
      if (s.status !== 'issued') { state.textContent = s.status === 'settled' ? words.paid : words.closed; return; }
      const a = s.attempt;
      if (a && (a.status === 'failed' || a.status === 'reversed')) { state.textContent = words.failed + (a.tellCustomer || ''); document.querySelectorAll('.pay-later button').forEach((b) => (b.disabled = false)); return; }
      await new Promise((ok) => setTimeout(ok, 1000));
    }
  };
  document.querySelectorAll('.pay-later button').forEach((b) => b.addEventListener('click', async () => {
    document.querySelectorAll('.pay-later button').forEach((x) => (x.disabled = true));
    state.textContent = words.paying;
    const r = await fetch('/api/pay/' + token, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key + '-' + b.dataset.wallet },
      body: JSON.stringify({ wallet: b.dataset.wallet }),
    });
    if (!r.ok) { const p = await r.json(); state.textContent = p.title || words.failed; document.querySelectorAll('.pay-later button').forEach((x) => (x.disabled = false)); return; }
    await follow();
  }));
})();
</script>`;
}
