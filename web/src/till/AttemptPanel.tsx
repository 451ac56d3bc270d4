/**
 * The card attempt on screen: what the terminal is doing, "checking with the bank" while the
 * outcome is unknown (no other charge possible meanwhile), and when it fails, what to tell the
 * customer, what to do, and the other ways to pay — each one action away.
 */
import { newKey } from '../api/client';
import type { AttemptView } from '../api/types';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import type { TillApi } from './use-till';

const LIVE = new Set(['created', 'in_flight', 'unknown', 'reversing']);

export function AttemptPanel({
  attempt,
  till,
  saleWaits,
}: {
  attempt: AttemptView;
  till: TillApi;
  /** The sale still waits for this attempt (no other tender); false once a manager released it. */
  saleWaits: boolean;
}) {
  const { t } = useI18n();
  const live = LIVE.has(attempt.status);
  const tone = attempt.status === 'succeeded' ? 'ok' : live ? 'info' : 'error';
  return (
    <section
      className={`attempt ${tone}`}
      aria-label={t('cardAttempt')}
      data-testid="attempt-panel"
      data-status={attempt.status}
    >
      <header>
        <strong role={live ? 'status' : 'alert'}>
          {t(`attempt_${attempt.status}` as MessageKey, { amount: displayYuan(attempt.amountFen) })}
        </strong>
        {attempt.maskedPan && <span className="pan">{attempt.maskedPan}</span>}
      </header>
      {live && attempt.status !== 'created' && saleWaits && <p>{t('noSecondCharge')}</p>}
      {attempt.guidance && !live && attempt.status !== 'reversed' && (
        <div className="guidance" data-testid="guidance">
          <p>
            <b>{t('tellCustomer')}</b> {attempt.guidance.tellCustomer}
          </p>
          <p>
            <b>{t('doNext')}</b> {attempt.guidance.doNext}
          </p>
        </div>
      )}
      <div className="buttons">
        {attempt.status === 'unknown' && saleWaits && (
          <button type="button" onClick={() => void till.releaseCharge()}>
            {t('releaseCharge')}
          </button>
        )}
        {attempt.status === 'in_flight' && (
          <button type="button" className="danger" onClick={() => void till.cancelCard()}>
            {t('cancelCard')}
          </button>
        )}
        {!live && attempt.status !== 'succeeded' && (
          <>
            {(attempt.guidance?.alternatives ?? ['cash']).includes('cash') && (
              <button
                type="button"
                className="primary"
                onClick={() => till.patch({ attempt: null, dialog: { kind: 'cash', payKey: newKey() } })}
              >
                {t('alt_cash')}
              </button>
            )}
            {/* After a reversal nothing was charged: a new attempt (new order number) is safe. */}
            {(attempt.status === 'reversed' ||
              (attempt.guidance?.alternatives ?? []).some(
                (a) => a === 'another_card' || a === 'insert_or_tap',
              )) && (
              <button
                type="button"
                onClick={() => till.patch({ attempt: null, dialog: { kind: 'card', payKey: newKey() } })}
              >
                {t('alt_another_card')}
              </button>
            )}
            {(attempt.guidance?.alternatives ?? []).some((a) => a === 'alipay' || a === 'wechat') && (
              <button type="button" disabled title={t('walletsSoon')}>
                {t('alt_wallet')}
              </button>
            )}
          </>
        )}
        {attempt.status === 'succeeded' && (
          <button type="button" onClick={till.dismissAttempt}>
            {t('ok')}
          </button>
        )}
      </div>
    </section>
  );
}
