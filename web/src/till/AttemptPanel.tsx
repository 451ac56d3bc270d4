/**
 * The card or wallet attempt on screen: what the terminal or wallet is doing, "checking with the
 * bank" (or "waiting for the customer to confirm on the phone") while the outcome is unknown — no
 * other charge possible meanwhile — and when it fails, what to tell the customer, what to do, and
 * the other ways to pay, each one action away (a fresh payment code, another card, cash).
 */
import type { AttemptView } from '../api/types';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { OPEN } from './actions';
import type { TillApi } from './use-till';

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
  const live = attempt.beingChecked;
  const tone = attempt.status === 'succeeded' ? 'ok' : live ? 'info' : 'error';
  const wallet = attempt.tender === 'alipay' || attempt.tender === 'wechat' ? attempt.tender : null;
  const amount = displayYuan(attempt.amountFen);
  const headline = wallet
    ? t(
        attempt.status === 'unknown' && attempt.category === 'customer_still_paying'
          ? 'wallet_waiting'
          : (`wallet_${attempt.status}` as MessageKey),
        { amount, wallet: t(`wallet_${wallet}`) },
      )
    : t(`attempt_${attempt.status}` as MessageKey, { amount });
  const alternatives = attempt.guidance?.alternatives ?? ['cash'];
  const openWallet = () => OPEN.wallet(till, { attempt: true, amountFen: attempt.amountFen });
  return (
    <section
      className={`attempt ${tone}`}
      aria-label={t(wallet ? 'walletAttempt' : 'cardAttempt')}
      data-testid="attempt-panel"
      data-status={attempt.status}
      data-tender={attempt.tender}
    >
      <header>
        <strong role={live ? 'status' : 'alert'}>{headline}</strong>
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
        {attempt.status === 'in_flight' && !wallet && (
          <button type="button" className="danger" onClick={() => void till.cancelCard()}>
            {t('cancelCard')}
          </button>
        )}
        {/* A wallet payment is stopped by cancelling it at the wallet, as early as the wallet allows. */}
        {wallet && (attempt.status === 'in_flight' || attempt.status === 'unknown') && (
          <button type="button" className="danger" onClick={() => void till.cancelCard()}>
            {t('cancelWallet')}
          </button>
        )}
        {!live && attempt.status !== 'succeeded' && (
          <>
            {wallet && attempt.category === 'wallet_code_invalid' && (
              <button type="button" className="primary" onClick={openWallet}>
                {t('rescan')}
              </button>
            )}
            {alternatives.includes('cash') && (
              <button type="button" className="primary" onClick={() => OPEN.cash(till, { attempt: true })}>
                {t('alt_cash')}
              </button>
            )}
            {/* After a reversal nothing was charged: a new attempt (new order number) is safe. */}
            {((attempt.status === 'reversed' && !wallet) ||
              alternatives.some((a) => a === 'another_card' || a === 'insert_or_tap')) && (
              <button type="button" onClick={() => OPEN.card(till, { attempt: true })}>
                {/* The server's verdict: this card once more, or only another one. */}
                {t(attempt.mayTryCardAgain ? 'alt_try_card_again' : 'alt_another_card')}
              </button>
            )}
            {(alternatives.some((a) => a === 'alipay' || a === 'wechat') ||
              (attempt.status === 'reversed' && wallet)) && (
              <button type="button" onClick={openWallet}>
                {t('alt_wallet')}
              </button>
            )}
          </>
        )}
        {/* The checkout cannot finish now (or the customer cannot wait for the check): a slip. */}
        {attempt.status !== 'succeeded' && attempt.status !== 'created' && attempt.status !== 'in_flight' && (
          <button type="button" onClick={() => OPEN.slip(till)}>
            {t('issueSlip')}
          </button>
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
