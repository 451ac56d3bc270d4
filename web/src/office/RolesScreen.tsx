/** What each role may do: the guarded actions and who approves them, and the route matrix as the server enforces it. */
import { type FormEvent, useState } from 'react';
import { atLeast, GUARDED_ACTIONS, ROLES } from '../../../src/shared';
import { ApiError, send } from '../api/client';
import type { Role, StoreView } from '../api/types';
import { Notice } from '../common/Notice';
import { useI18n } from '../i18n';
import { ReturnTermsForm } from './ReturnTermsForm';
import { useLoad } from './use-load';

interface MatrixRow {
  route: string;
  public: boolean;
  minRole: Role | null;
  surfaces: readonly ('till' | 'backoffice')[];
  scope: string | null;
}

export function RolesScreen({ store, canSetLimit }: { store: StoreView | null; canSetLimit: boolean }) {
  const { t } = useI18n();
  const [limitBp, setLimitBp] = useState(store?.discountLimitBp ?? null);
  const [percent, setPercent] = useState(limitBp === null ? '' : String(limitBp / 100));
  const [limitError, setLimitError] = useState<string | null>(null);
  const saveLimit = async (e: FormEvent) => {
    e.preventDefault();
    if (!store) return;
    setLimitError(null);
    try {
      const saved = await send<StoreView>('PUT', `/api/stores/${store.id}/discount-limit`, {
        discountLimitBp: Math.round(Number(percent) * 100),
      });
      setLimitBp(saved.discountLimitBp);
    } catch (err) {
      setLimitError(err instanceof ApiError ? err.problem.title : String(err));
    }
  };
  const matrix = useLoad<{ roles: Role[]; routes: MatrixRow[] }>('/api/access/matrix');
  // Chain-wide routes are for head office staff only, whatever their role.
  const mark = (row: MatrixRow, role: Role, surface: 'till' | 'backoffice') => {
    if (row.public) return '✓';
    if (row.minRole === null || !row.surfaces.includes(surface) || !atLeast(role, row.minRole)) return '';
    return row.scope === 'chain' ? t('hqOnly') : '✓';
  };
  return (
    <section className="roles" aria-label={t('tab_roles')}>
      {limitBp !== null && <p data-testid="discount-limit">{t('discountLimitIs', { pct: limitBp / 100 })}</p>}
      {canSetLimit && store && (
        <form className="filters" onSubmit={(e) => void saveLimit(e)}>
          <label className="field">
            {t('discountLimitLabel')}
            <input
              inputMode="decimal"
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
              aria-label={t('discountLimitLabel')}
            />
          </label>
          <div className="buttons">
            <button type="submit" disabled={!/^\d{1,3}(\.\d{1,2})?$/.test(percent) || Number(percent) > 100}>
              {t('save')}
            </button>
          </div>
        </form>
      )}
      <Notice tone="error" text={limitError} />
      {store && <ReturnTermsForm store={store} canSet={canSetLimit} />}
      <h2>{t('approvalsWho')}</h2>
      <table className="grid" data-testid="guarded-actions">
        <thead>
          <tr>
            <th>{t('guardedAction')}</th>
            {ROLES.map((r) => (
              <th key={r}>{t(`role_${r}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(GUARDED_ACTIONS).map(([action, min]) => (
            <tr key={action}>
              <td>{t(`action_${action as keyof typeof GUARDED_ACTIONS}`)}</td>
              {ROLES.map((r) => (
                <td key={r}>{atLeast(r, min) ? t('mayApprove') : t('mayAsk')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('routeMatrix')}</h2>
      <p>{t('routeMatrixHint')}</p>
      <Notice tone="error" text={matrix.error} />
      <table className="grid small" data-testid="route-matrix">
        <thead>
          <tr>
            <th>API</th>
            {ROLES.map((r) => (
              <th key={r} colSpan={2}>
                {t(`role_${r}`)}
              </th>
            ))}
          </tr>
          <tr>
            <th />
            {ROLES.flatMap((r) => [
              <th key={`${r}-t`}>{t('surfaceTill')}</th>,
              <th key={`${r}-b`}>{t('surfaceOffice')}</th>,
            ])}
          </tr>
        </thead>
        <tbody>
          {matrix.data?.routes.map((row) => (
            <tr key={row.route}>
              <td>
                <code>{row.route}</code>
                {row.public && <span className="badge ok">{t('public')}</span>}
              </td>
              {ROLES.flatMap((r) => [
                <td key={`${r}-t`}>{mark(row, r, 'till')}</td>,
                <td key={`${r}-b`}>{mark(row, r, 'backoffice')}</td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
