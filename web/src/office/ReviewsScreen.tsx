/**
 * The review desk: payments a manager must settle because money may have moved where the sale no
 * longer expects it, or a reversal or refund was never confirmed. The manager asks the terminal,
 * sees what it says, and picks one of the decisions that agree with it (the server judges again).
 */
import { useMemo, useState } from 'react';
import type { ReviewCheck, ReviewDecision, ReviewItem } from '../../../src/api-shapes';
import { ApiError, newKey, send } from '../api/client';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { useLoad } from './use-load';

export function ReviewsScreen({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const list = useLoad<{ reviews: ReviewItem[] }>(`/api/stores/${storeId}/payment-reviews`);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="reviews" aria-label={t('tab_reviews')}>
      <p className="hint">{t('reviewsHint')}</p>
      <button type="button" onClick={list.reload}>
        {t('refresh')}
      </button>
      <Notice tone="error" text={list.error} />
      <Notice tone="info" text={done} />
      {list.data?.reviews.length === 0 && <p>{t('noReviews')}</p>}
      {list.data?.reviews.map((item) => (
        <ReviewCard
          key={item.attempt.id}
          item={item}
          onSettled={(text) => {
            setDone(text);
            list.reload();
          }}
        />
      ))}
    </section>
  );
}

function ReviewCard({ item, onSettled }: { item: ReviewItem; onSettled: (text: string) => void }) {
  const { t } = useI18n();
  const { attempt, sale } = item;
  const [check, setCheck] = useState<ReviewCheck | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per decision on this card: a double click sends the same request, answered once.
  const key = useMemo(() => newKey(), []);
  const refund = item.refundOf !== null;
  const amount = displayYuan(attempt.amountFen);

  const ask = async () => {
    setError(null);
    setBusy(true);
    try {
      setCheck(await send<ReviewCheck>('POST', `/api/attempts/${attempt.id}/review/check`));
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.title : String(e));
    } finally {
      setBusy(false);
    }
  };
  const decide = async (decision: ReviewDecision) => {
    setError(null);
    setBusy(true);
    try {
      await send(
        'POST',
        `/api/attempts/${attempt.id}/review`,
        { decision, reason: reason.trim() },
        `${key}-${decision}`,
      );
      onSettled(t('reviewSettled', { sale: sale.number, decision: t(decisionKey(decision, refund)) }));
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.title : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="review-card" data-testid="review-card">
      <header>
        <strong>{t('reviewSale', { number: sale.number })}</strong>
        <span>{t(`saleStatus_${sale.status}` as MessageKey)}</span>
        <span className="amount">{amount}</span>
      </header>
      <dl>
        <dt>{t('reviewWhat')}</dt>
        <dd>
          {refund ? t('reviewKindRefund', { order: item.refundOf ?? '' }) : t('reviewKindPayment')}
          {attempt.maskedPan ? ` · ${attempt.maskedPan}` : ''}
        </dd>
        <dt>{t('reviewOrder')}</dt>
        <dd className="mono">{attempt.merchantOrderNo}</dd>
        <dt>{t('reviewWhy')}</dt>
        <dd>{t(item.cause?.meaning === 'conflict' ? 'reviewCause_conflict' : 'reviewCause_review')}</dd>
        <dt>{t('reviewWhen')}</dt>
        <dd>{new Date(attempt.createdAt).toLocaleString()}</dd>
      </dl>
      <Notice tone="error" text={error} />
      <button type="button" className="primary" disabled={busy} onClick={() => void ask()}>
        {t('reviewAsk')}
      </button>
      {check && (
        <div className="review-decide" data-testid="review-decide">
          <p className={`provider-word ${check.provider}`}>{t(`provider_${check.provider}`, { amount })}</p>
          {check.options.length > 0 && (
            <>
              <label>
                {t('reviewReason')}
                <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
              </label>
              {check.options.map((d) => (
                <button
                  type="button"
                  key={d}
                  className={d === 'refund' ? 'warn' : 'primary'}
                  disabled={busy || reason.trim() === ''}
                  onClick={() => void decide(d)}
                >
                  {t(decisionKey(d, refund))}
                </button>
              ))}
            </>
          )}
        </div>
      )}
    </article>
  );
}

/** A refund's decisions read differently: its "paid" is "the money went back". */
function decisionKey(decision: ReviewDecision, refund: boolean): MessageKey {
  if (refund) return decision === 'confirm_paid' ? 'decision_refund_done' : 'decision_refund_again';
  return `decision_${decision}`;
}
