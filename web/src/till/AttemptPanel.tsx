/**
 * The card or wallet attempt on screen: what the terminal or wallet is doing, "checking with the
 * bank" (or "waiting for the customer to confirm on the phone") while the outcome is unknown — no
 * other charge possible meanwhile — and when it fails, what to tell the customer, what to do, and
 * the other ways to pay, each one action away (a fresh payment code, another card, cash).
 */
import type { ReactNode } from 'react';
import type { AttemptView } from '../api/types';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { OPEN } from './actions';
import type { TillApi } from './use-till';

interface ButtonProps {
  attempt: AttemptView;
  till: TillApi;
  wallet: 'alipay' | 'wechat' | null;
  t: ReturnType<typeof useI18n>['t'];
  openWallet: () => void;
}

const BUTTONS: Record<AttemptView['actions'][number], (p: ButtonProps) => ReactNode> = {
  release: ({ till, t }) => (
    <button key="release" type="button" onClick={() => void till.releaseCharge()}>
      {t('releaseCharge')}
    </button>
  ),
  // A wallet payment is stopped by cancelling it at the wallet, as early as the wallet allows.
  cancel: ({ till, t, wallet }) => (
    <button key="cancel" type="button" className="danger" onClick={() => void till.cancelCard()}>
      {t(wallet ? 'cancelWallet' : 'cancelCard')}
    </button>
  ),
  rescan: ({ t, openWallet }) => (
    <button key="rescan" type="button" className="primary" onClick={openWallet}>
      {t('rescan')}
    </button>
  ),
  pay_cash: ({ till, t }) => (
    <button
      key="pay_cash"
      type="button"
      className="primary"
      onClick={() => OPEN.cash(till, { attempt: true })}
    >
      {t('alt_cash')}
    </button>
  ),
  pay_card: ({ attempt, till, t }) => (
    <button key="pay_card" type="button" onClick={() => OPEN.card(till, { attempt: true })}>
      {/* The server's verdict: this card once more, or only another one. */}
      {t(attempt.mayTryCardAgain ? 'alt_try_card_again' : 'alt_another_card')}
    </button>
  ),
  pay_wallet: ({ t, openWallet }) => (
    <button key="pay_wallet" type="button" onClick={openWallet}>
      {t('alt_wallet')}
    </button>
  ),
  slip: ({ till, t }) => (
    <button key="slip" type="button" onClick={() => OPEN.slip(till)}>
      {t('issueSlip')}
    </button>
  ),
  dismiss: ({ till, t }) => (
    <button key="dismiss" type="button" onClick={till.dismissAttempt}>
      {t('ok')}
    </button>
  ),
};

export function AttemptPanel({ attempt, till }: { attempt: AttemptView; till: TillApi }) {
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
      {attempt.noSecondCharge && <p>{t('noSecondCharge')}</p>}
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
        {/* The server's verdict: a button for each action it names, in its order. */}
        {attempt.actions.map((action) => BUTTONS[action]({ attempt, till, wallet, t, openWallet }))}
      </div>
    </section>
  );
}
