/** Requests a till is waiting on: the supervisor or manager approves or refuses from here. */
import { ApiError, send } from '../api/client';
import type { ApprovalView } from '../api/types';
import { Notice } from '../common/Notice';
import { useI18n } from '../i18n';
import { useLoad } from './use-load';

export function ApprovalsScreen({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const list = useLoad<{ approvals: ApprovalView[] }>(`/api/stores/${storeId}/approvals?limit=50`);
  const decide = async (id: string, decision: 'grant' | 'deny') => {
    try {
      await send('POST', `/api/approvals/${id}/${decision}`);
    } catch (e) {
      list.setError(e instanceof ApiError ? e.problem.title : String(e));
    }
    list.reload();
  };
  return (
    <section className="approvals" aria-label={t('tab_approvals')}>
      <button type="button" onClick={list.reload}>
        {t('refresh')}
      </button>
      <Notice tone="error" text={list.error} />
      {list.data?.approvals.length === 0 && <p>{t('noApprovals')}</p>}
      <table className="grid">
        <tbody>
          {list.data?.approvals.map((a) => (
            <tr key={a.id}>
              <td>{new Date(a.createdAt).toLocaleString()}</td>
              <td>{t(`action_${a.action}`)}</td>
              <td>{a.saleNumber ?? ''}</td>
              <td>{a.reason}</td>
              <td>{a.requestedBy.name}</td>
              <td>
                {t(`approval_${a.status}`)}
                {a.decidedBy ? ` · ${a.decidedBy.name}` : ''}
              </td>
              <td>
                {a.status === 'pending' && (
                  <>
                    <button type="button" className="primary" onClick={() => void decide(a.id, 'grant')}>
                      {t('approve')}
                    </button>
                    <button type="button" onClick={() => void decide(a.id, 'deny')}>
                      {t('deny')}
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
