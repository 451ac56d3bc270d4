/**
 * Signing in at the till: tap your name, type your PIN. The same screen switches cashier: whoever
 * signs in takes the till over, and the server ends the previous cashier's session.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, get, send } from '../api/client';
import type { SessionView, SignInStaff } from '../api/types';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';

export function TillSignIn({
  storeId,
  tillId,
  current,
  reason,
  onSignedIn,
  onCancel,
}: {
  storeId: string;
  tillId: string;
  /** The cashier now at the till, when this is a switch. */
  current: SessionView | null;
  reason: string | null;
  onSignedIn: (session: SessionView) => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [staff, setStaff] = useState<SignInStaff[]>([]);
  const [chosen, setChosen] = useState<SignInStaff | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void get<{ staff: SignInStaff[] }>(`/api/stores/${storeId}/sign-in-staff`).then((r) => setStaff(r.staff));
  }, [storeId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await send<{ session: SessionView }>('POST', '/api/session/pin', {
        storeId,
        tillId,
        staffCode: chosen.code,
        pin,
      });
      onSignedIn(answer.session);
    } catch (err) {
      setPin('');
      setError(err instanceof ApiError ? err.problem.title : t('offline'));
    } finally {
      setBusy(false);
    }
  };

  const press = (digit: string) => setPin((p) => (p.length < 6 ? p + digit : p));

  return (
    <section className="sign-in" aria-label={t('signInTitle')}>
      <h1>{current ? t('switchCashierTitle') : t('signInTitle')}</h1>
      {current && <p>{t('signedInAs', { name: current.name })}</p>}
      <Notice tone="info" text={reason && !current ? t(`lost_${reason}` as MessageKey) : null} />
      <ul className="staff-grid">
        {staff.map((s) => (
          <li key={s.code}>
            <button
              type="button"
              aria-pressed={chosen?.code === s.code}
              onClick={() => {
                setChosen(s);
                setPin('');
                setError(null);
              }}
            >
              <span className="s-name">{s.name}</span>
              <span className="s-role">{t(`role_${s.role}` as MessageKey)}</span>
            </button>
          </li>
        ))}
      </ul>
      {chosen && (
        <form onSubmit={(e) => void submit(e)} className="pin-form">
          <label className="field">
            {t('pinFor', { name: chosen.name })}
            <input
              autoFocus
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 6))}
              aria-label={t('pin')}
              data-testid="pin-input"
            />
          </label>
          <div className="pin-pad">
            {['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].map((d) => (
              <button type="button" key={d} onClick={() => press(d)}>
                {d}
              </button>
            ))}
            <button type="button" onClick={() => setPin('')} aria-label={t('clear')}>
              C
            </button>
          </div>
          <Notice tone="error" text={error} />
          <div className="buttons">
            {onCancel && (
              <button type="button" onClick={onCancel}>
                {t('cancel')}
              </button>
            )}
            <button type="submit" className="primary" disabled={pin.length < 4 || busy}>
              {t('signIn')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
