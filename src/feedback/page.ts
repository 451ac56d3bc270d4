/**
 * The feedback panel under the e-receipt and the slip's page (what their QR codes open): five
 * stars and a comment, posted once with an idempotency key. Plain HTML and a few lines of script,
 * for any phone browser.
 */
import type { Lang } from '../kernel';
import { escapeHtml } from '../kernel';

const T = {
  heading: { zh: '为本次购物评分', en: 'Rate your visit' },
  stars: { zh: '{n} 星', en: '{n} stars' },
  comment: { zh: '想对我们说的话（可选）', en: 'Anything to tell us (optional)' },
  send: { zh: '提交评价', en: 'Send' },
  thanks: { zh: '谢谢您的评价！', en: 'Thank you for your feedback!' },
  pick: { zh: '请先选择星级。', en: 'Pick a number of stars first.' },
} as const;

export function feedbackPanelHtml(input: { postTo: string; lang: Lang }): string {
  const t = (k: keyof typeof T) => (input.lang === 'zh-CN' ? T[k].zh : T[k].en);
  const stars = [1, 2, 3, 4, 5]
    .map(
      (n) =>
        `<label><input type="radio" name="rating" value="${n}" aria-label="${escapeHtml(t('stars').replace('{n}', String(n)))}"><span>★</span></label>`,
    )
    .join('');
  const words = JSON.stringify({ thanks: t('thanks'), pick: t('pick') });
  return `<section class="feedback" data-testid="feedback">
<h2>${escapeHtml(t('heading'))}</h2>
<form id="feedback-form">
<div class="stars" role="radiogroup">${stars}</div>
<textarea name="comment" maxlength="500" rows="3" placeholder="${escapeHtml(t('comment'))}" aria-label="${escapeHtml(t('comment'))}"></textarea>
<button type="submit">${escapeHtml(t('send'))}</button>
</form>
<p id="feedback-state" role="status"></p>
</section>
<style>
.feedback { max-width: 72mm; margin: 12px auto; padding: 12px; background: #fff; font: 15px/1.5 sans-serif; }
.feedback .stars { display: flex; flex-direction: row-reverse; justify-content: flex-end; gap: 4px; font-size: 28px; }
.feedback .stars input { position: absolute; opacity: 0; }
.feedback .stars span { color: #ccc; cursor: pointer; }
.feedback .stars label:hover span, .feedback .stars label:hover ~ label span,
.feedback .stars input:checked + span, .feedback .stars label:has(input:checked) ~ label span { color: #e0a800; }
.feedback textarea { width: 100%; box-sizing: border-box; margin: 8px 0; font: inherit; }
.feedback button { width: 100%; padding: 10px; font-size: 16px; border-radius: 8px; border: 1px solid #0e6b5c; background: #fff; color: #0e6b5c; }
</style>
<script>
(() => {
  const form = document.getElementById('feedback-form');
  const state = document.getElementById('feedback-state');
  const words = ${words};
  const key = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const picked = form.querySelector('input[name=rating]:checked');
    if (!picked) { state.textContent = words.pick; return; }
    const body = { rating: Number(picked.value), comment: form.comment.value.trim() };
    const r = await fetch(${JSON.stringify(input.postTo)}, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': 'fb-' + key },
      body: JSON.stringify(body),
    });
    const answer = await r.json();
    if (r.ok || answer.code === 'feedback_already_given') { form.hidden = true; state.textContent = r.ok ? words.thanks : answer.title; return; }
    state.textContent = answer.title || '';
  });
})();
</script>`;
}
