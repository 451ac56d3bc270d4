/**
 * The follow-up queue (跟进), worked first thing each business day: provisional slips still open,
 * overdue first, then today's. A case shows its slip, the customer's number to call and its
 * timeline; contacts and notes go on it, and a manager closes a slip the customer never came back
 * for — cancel (goods held go back on sale) or write off (goods taken), as fits the goods.
 */
import { useMemo, useState } from 'react';
import type { CaseView, QueueItem } from '../../../src/exceptions';
import { ApiError, newKey, send } from '../api/client';
import type { SessionView } from '../api/types';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { useLoad } from './use-load';

export function FollowUpsScreen({ storeId, session }: { storeId: string; session: SessionView }) {
  const { t } = useI18n();
  const queue = useLoad<{ cases: QueueItem[] }>(`/api/stores/${storeId}/follow-ups`);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="follow-ups" aria-label={t('tab_followups')}>
      <p className="hint">{t('followUpsHint')}</p>
      <button type="button" onClick={queue.reload}>
        {t('refresh')}
      </button>
      <Notice tone="error" text={queue.error} />
      {queue.data?.cases.length === 0 && <p>{t('noFollowUps')}</p>}
      <table className="grid" data-testid="follow-up-queue">
        <tbody>
          {queue.data?.cases.map((c) => (
            <tr key={c.caseId} className={`urgency-${c.urgency}`}>
              <td>
                <span className={`badge ${c.urgency}`}>{t(`urgency_${c.urgency}` as MessageKey)}</span>
              </td>
              <td>
                <strong>{c.slip.number}</strong>
                <br />
                <small>{c.saleNumber}</small>
              </td>
              <td>
                {c.slip.customerName} · {c.slip.customerPhone}
              </td>
              <td className="amount">{displayYuan(c.slip.dueFen)}</td>
              <td>{t(c.slip.goods === 'taken' ? 'slipGoodsTaken' : 'slipGoodsHeld')}</td>
              <td className="detail">{c.lastEvent?.note ?? c.slip.reason}</td>
              <td>
                <button type="button" onClick={() => setOpen(c.caseId)}>
                  {t('openCase')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <CaseDetail
          key={open}
          caseId={open}
          canClose={session.role === 'manager' || session.role === 'admin'}
          onChanged={queue.reload}
        />
      )}
    </section>
  );
}

function CaseDetail({
  caseId,
  canClose,
  onChanged,
}: {
  caseId: string;
  canClose: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const detail = useLoad<CaseView>(`/api/follow-ups/${caseId}`);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const key = useMemo(() => newKey(), []);
  const act = async (path: string, body: Record<string, string>) => {
    setError(null);
    try {
      await send(
        'POST',
        `/api/follow-ups/${caseId}/${path}`,
        body,
        `${key}-${path}-${body.event}-${note.length}`,
      );
      setNote('');
      detail.reload();
      onChanged();
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.title : String(e));
    }
  };
  const c = detail.data;
  if (!c) return <Notice tone="error" text={detail.error} />;
  const closed = !['open', 'contacted', 'awaiting_statement'].includes(c.status);
  return (
    <article className="review-card" data-testid="case-detail">
      <header>
        <strong>{c.slip.number}</strong>
        <span>{t(`case_${c.status}` as MessageKey)}</span>
        <span className="amount">{displayYuan(c.slip.sale.dueFen)}</span>
      </header>
      <dl>
        <dt>{t('slipCustomerName')}</dt>
        <dd>{c.slip.customerName}</dd>
        <dt>{t('slipCustomerPhone')}</dt>
        <dd className="mono">{c.customerPhone}</dd>
        <dt>{t('slipReason')}</dt>
        <dd>{c.slip.reason}</dd>
        <dt>{t('slipGoods')}</dt>
        <dd>{t(c.slip.goods === 'taken' ? 'slipGoodsTaken' : 'slipGoodsHeld')}</dd>
      </dl>
      <ol className="timeline" data-testid="case-timeline">
        {c.timeline.map((e) => (
          <li key={e.seq}>
            <time>{new Date(e.at).toLocaleString()}</time> {t(`caseEvent_${e.event}` as MessageKey)}
            {e.note ? ` — ${e.note}` : ''}
          </li>
        ))}
      </ol>
      <Notice tone="error" text={error} />
      {!closed && (
        <div className="review-decide">
          <label>
            {t('caseNote')}
            <input
              value={note}
              maxLength={500}
              onChange={(e) => setNote(e.target.value)}
              data-testid="case-note"
            />
          </label>
          <button
            type="button"
            className="primary"
            disabled={!note.trim()}
            onClick={() => void act('events', { event: 'contacted', note })}
          >
            {t('caseContacted')}
          </button>
          <button
            type="button"
            disabled={!note.trim()}
            onClick={() => void act('events', { event: 'noted', note })}
          >
            {t('caseAddNote')}
          </button>
          {canClose && (
            <button
              type="button"
              className="warn"
              disabled={!note.trim()}
              onClick={() =>
                void act('close', { event: c.slip.goods === 'held' ? 'cancel' : 'write_off', reason: note })
              }
            >
              {t(c.slip.goods === 'held' ? 'caseCancelRestock' : 'caseWriteOff')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
