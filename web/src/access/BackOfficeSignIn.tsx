/** Signing in to the back office: staff code and password. */
import { type FormEvent, useState } from 'react';
import { ApiError, send } from '../api/client';
import type { SessionView } from '../api/types';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';

export function BackOfficeSignIn({
  reason,
  onSignedIn,
}: {
  reason: string | null;
  onSignedIn: (session: SessionView) => void;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await send<{ session: SessionView }>('POST', '/api/session/password', {
        staffCode: code.trim(),
        password,
      });
      onSignedIn(answer.session);
    } catch (err) {
      setPassword('');
      setError(err instanceof ApiError ? err.problem.title : t('offline'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sign-in office" aria-label={t('officeSignInTitle')}>
      <h1>{t('officeSignInTitle')}</h1>
      <Notice tone="info" text={reason ? t(`lost_${reason}` as MessageKey) : null} />
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          {t('staffCode')}
          <input
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="username"
            aria-label={t('staffCode')}
          />
        </label>
        <label className="field">
          {t('password')}
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            aria-label={t('password')}
          />
        </label>
        <Notice tone="error" text={error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={!code.trim() || !password || busy}>
            {t('signIn')}
          </button>
        </div>
      </form>
    </section>
  );
}
