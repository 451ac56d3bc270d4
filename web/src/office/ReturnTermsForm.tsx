/**
 * A store's return terms as head office sets them: the return policy its tills apply and its
 * receipts print, and its contracts' refund windows. Others see them; the server audits a change.
 */
import { type FormEvent, useState } from 'react';
import { parseYuan, RETURN_REASONS, ROLES } from '../../../src/shared';
import { ApiError, send } from '../api/client';
import type { Role, StoreView } from '../api/types';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';

type Terms = StoreView['returnTerms'];

export function ReturnTermsForm({ store, canSet }: { store: StoreView; canSet: boolean }) {
  const { t } = useI18n();
  const [terms, setTerms] = useState<Terms>(store.returnTerms);
  const [limitYuan, setLimitYuan] = useState(
    String((store.returnTerms.policy.noReceipt?.cashLimitFen ?? 50_000) / 100),
  );
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const policy = terms.policy;
  const set = (p: Partial<Terms['policy']>) => {
    setSaved(false);
    setTerms({ ...terms, policy: { ...policy, ...p } });
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const limitFen = parseYuan(limitYuan);
    const body: Terms = {
      ...terms,
      policy: {
        ...policy,
        noReceipt: policy.noReceipt ? { ...policy.noReceipt, cashLimitFen: limitFen ?? 0 } : null,
      },
    };
    try {
      setTerms(await send<Terms>('PUT', `/api/stores/${store.id}/return-terms`, body));
      setSaved(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.title : t('offline'));
    }
  };
  const number = (value: number, onChange: (n: number) => void, label: string) => (
    <label className="field">
      {label}
      <input
        inputMode="numeric"
        value={String(value)}
        disabled={!canSet}
        aria-label={label}
        onChange={(e) => onChange(Number(e.target.value.replace(/\D/g, '')) || 0)}
      />
    </label>
  );
  return (
    <form className="return-terms" onSubmit={(e) => void save(e)} data-testid="return-terms">
      <h2>{t('termsTitle')}</h2>
      {number(policy.windowDays, (n) => set({ windowDays: n }), t('termsWindowDays'))}
      <label>
        <input
          type="checkbox"
          checked={policy.receiptRequired}
          disabled={!canSet}
          onChange={(e) => set({ receiptRequired: e.target.checked })}
        />{' '}
        {t('termsReceiptRequired')}
      </label>
      <label>
        <input
          type="checkbox"
          checked={policy.noReceipt !== null}
          disabled={!canSet}
          onChange={(e) =>
            set({
              noReceipt: e.target.checked
                ? { approverRole: 'manager', cashLimitFen: parseYuan(limitYuan) ?? 0 }
                : null,
            })
          }
        />{' '}
        {t('termsNoReceipt')}
      </label>
      {policy.noReceipt && (
        <>
          <label className="field">
            {t('termsApprover')}
            <select
              value={policy.noReceipt.approverRole}
              disabled={!canSet}
              aria-label={t('termsApprover')}
              onChange={(e) =>
                set({ noReceipt: { ...policy.noReceipt!, approverRole: e.target.value as Role } })
              }
            >
              {ROLES.filter((r) => r !== 'cashier').map((r) => (
                <option key={r} value={r}>
                  {t(`role_${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            {t('termsCashLimit')}
            <input
              inputMode="decimal"
              value={limitYuan}
              disabled={!canSet}
              aria-label={t('termsCashLimit')}
              onChange={(e) => {
                setSaved(false);
                setLimitYuan(e.target.value);
              }}
            />
          </label>
        </>
      )}
      <fieldset>
        <legend>{t('termsReasons')}</legend>
        {RETURN_REASONS.map((r) => (
          <label key={r}>
            <input
              type="checkbox"
              checked={policy.reasons.includes(r)}
              disabled={!canSet}
              onChange={(e) =>
                set({
                  reasons: e.target.checked
                    ? RETURN_REASONS.filter((x) => x === r || policy.reasons.includes(x))
                    : policy.reasons.filter((x) => x !== r),
                })
              }
            />{' '}
            {t(`reason_${r}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {number(
        terms.refunds.cardRefundWindowDays,
        (n) => setTerms({ ...terms, refunds: { ...terms.refunds, cardRefundWindowDays: n } }),
        t('termsCardDays'),
      )}
      {number(
        terms.refunds.alipayRefundWindowMonths,
        (n) => setTerms({ ...terms, refunds: { ...terms.refunds, alipayRefundWindowMonths: n } }),
        t('termsAlipayMonths'),
      )}
      {canSet && (
        <div className="buttons">
          <button
            type="submit"
            className="primary"
            disabled={policy.reasons.length === 0 || parseYuan(limitYuan) === null}
          >
            {t('save')}
          </button>
        </div>
      )}
      {saved && (
        <p role="status">
          {t('termsSaved', {
            days: policy.windowDays,
            limit: displayYuan(policy.noReceipt?.cashLimitFen ?? 0),
          })}
        </p>
      )}
      <Notice tone="error" text={error} />
    </form>
  );
}
