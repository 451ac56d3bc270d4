/** A guarded change waits for a higher role: the approver's PIN here, or a grant from the back office. */
import { useEffect, useState } from 'react';
import { ApiError, get, send } from '../../api/client';
import type { ApprovalView, GuardedAction, Role, SignInStaff } from '../../api/types';
import { TextField } from '../../common/Fields';
import { Notice } from '../../common/Notice';
import { useFollow } from '../../common/use-follow';
import { type MessageKey, useI18n } from '../../i18n';
import { Modal } from './Modal';

export function ApprovalDialog({
  storeId,
  saleId,
  action,
  minRole,
  reason: initialReason,
  why = null,
  onGranted,
  onClose,
}: {
  storeId: string;
  saleId: string | null;
  action: GuardedAction;
  minRole: Role;
  reason: string;
  /** Why the server asks for it, in its words (a return's refund past Alipay's window, say). */
  why?: string | null;
  onGranted: (approvalId: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const [approvers, setApprovers] = useState<SignInStaff[]>([]);
  const [chosen, setChosen] = useState<SignInStaff | null>(null);
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState(initialReason);
  const [error, setError] = useState<string | null>(null);
  // A request waiting for the back office, followed at the pace its answer gives.
  const [waiting, setWaiting] = useState<ApprovalView | null>(null);

  // The server's own list: who may approve this action for the signed-in cashier.
  useEffect(() => {
    void get<{ approvers: SignInStaff[] }>(
      `/api/stores/${storeId}/approvers?action=${encodeURIComponent(action)}`,
    ).then((r) => setApprovers(r.approvers));
  }, [storeId, action]);

  const seen = (a: ApprovalView) => {
    if (a.status === 'granted') onGranted(a.id);
    else if (a.status === 'pending') setWaiting(a);
    else {
      setWaiting(null);
      setError(t(a.status === 'denied' ? 'approvalDenied' : 'approvalExpired'));
    }
  };
  useFollow(
    waiting?.checkAgainInMs ?? null,
    async () => {
      if (waiting) seen(await get<ApprovalView>(`/api/approvals/${waiting.id}`));
    },
    waiting?.id,
  );

  const ask = async (withPin: boolean) => {
    setError(null);
    try {
      const answer = await send<ApprovalView>('POST', '/api/approvals', {
        action,
        saleId,
        reason: reason.trim(),
        ...(withPin && chosen ? { approver: { staffCode: chosen.code, pin } } : {}),
      });
      seen(answer);
    } catch (err) {
      setPin('');
      setError(err instanceof ApiError ? err.problem.title : t('offline'));
    }
  };

  return (
    <Modal title={t('approvalTitle')} onClose={onClose}>
      <p>
        {t(`action_${action}` as MessageKey)} ·{' '}
        {t('approvalNeeds', { role: t(`role_${minRole}` as MessageKey) })}
      </p>
      {why && <p data-testid="approval-why">{why}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen && pin.length >= 4 && reason.trim()) void ask(true);
        }}
      >
        <TextField
          className="field"
          autoFocus
          label={t('approvalReason')}
          value={reason}
          onChange={setReason}
        />
        <fieldset className="approvers">
          <legend>{t('approver')}</legend>
          {approvers.map((s) => (
            <button
              type="button"
              key={s.code}
              aria-pressed={chosen?.code === s.code}
              onClick={() => setChosen(s)}
            >
              {s.name} · {t(`role_${s.role}` as MessageKey)}
            </button>
          ))}
        </fieldset>
        {chosen && (
          <label className="field">
            {t('pinFor', { name: chosen.name })}
            <input
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={6}
              value={pin}
              onChange={(e) => {
                setError(null);
                setPin(e.target.value.replace(/\D/g, '').slice(0, 6));
              }}
              aria-label={t('approverPin')}
              data-testid="approver-pin"
            />
          </label>
        )}
        <Notice tone="error" text={error} />
        <Notice tone="info" text={waiting ? t('approvalWaiting') : null} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="button" disabled={!reason.trim() || waiting !== null} onClick={() => void ask(false)}>
            {t('askBackOffice')}
          </button>
          <button type="submit" className="primary" disabled={!chosen || pin.length < 4 || !reason.trim()}>
            {t('approve')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** How much goes on the card: all that is due, or a part of it (the rest another way). */
