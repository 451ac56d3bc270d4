/**
 * The follow-up queue (跟进), worked first thing each business day: provisional slips still open,
 * overdue first, then today's. A case shows its slip, the customer's number to call and its
 * timeline; contacts and notes go on it, and a manager closes a slip the customer never came back
 * for — cancel (goods held go back on sale) or write off (goods taken), as fits the goods. A
 * reminder goes to the customer through the notifier; when the customer shows proof the money was
 * taken, a manager records it and the case waits for the statement.
 */
import { useMemo, useState } from 'react';
import type { CaseView, QueueItem } from '../../../src/api-shapes';
import { newKey } from '../api/client';
import type { SessionView } from '../api/types';
import { ChoiceField, TextField } from '../common/Fields';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan, formatYuan, parseYuan } from '../money';
import { useLoad, usePost } from './use-load';

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
          today={new Date().toISOString().slice(0, 10)}
          onChanged={queue.reload}
        />
      )}
    </section>
  );
}

function CaseDetail({
  caseId,
  canClose,
  today,
  onChanged,
}: {
  caseId: string;
  canClose: boolean;
  today: string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const detail = useLoad<CaseView>(`/api/follow-ups/${caseId}`);
  const [note, setNote] = useState('');
  const { post, error } = usePost();
  const key = useMemo(() => newKey(), []);
  const act = async (path: string, body: Record<string, string | number>) => {
    // One key per intent: a double click repeats it; the next act (the timeline has grown) is new.
    const k = `${key}-${path}-${String(body.event ?? '')}-${note.length}-${detail.data?.timeline.length ?? 0}`;
    if ((await post(`/api/follow-ups/${caseId}/${path}`, body, k)) === null) return;
    setNote('');
    detail.reload();
    onChanged();
  };
  const c = detail.data;
  if (!c) return <Notice tone="error" text={detail.error} />;
  const closed = !['open', 'contacted', 'awaiting_statement'].includes(c.status);
  // Waiting for the statement: only notes; the statement, not a person, ends it.
  const waiting = c.status === 'awaiting_statement';
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
      {c.notifications.length > 0 && (
        <>
          <h3>{t('caseNotifications')}</h3>
          <ul className="timeline" data-testid="case-notifications">
            {c.notifications.map((n) => (
              <li key={n.id}>
                {t(`notifyKind_${n.kind}` as MessageKey)} · {t(`notifyChannel_${n.channel}` as MessageKey)} ·{' '}
                <strong>{t(`notifyStatus_${n.status}` as MessageKey)}</strong>
                {n.lastError ? ` — ${n.lastError}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {c.confirmations.length > 0 && (
        <>
          <h3>{t('confirmTitle')}</h3>
          <ul className="timeline" data-testid="case-confirmations">
            {c.confirmations.map((m) => (
              <li key={m.id}>
                {t(`confirmTender_${m.tender}` as MessageKey)} {displayYuan(m.amountFen)} · {m.paidOn} ·{' '}
                <span className="mono">{m.reference}</span> — {m.evidence} ·{' '}
                <strong>{t(`confirmation_${m.status}` as MessageKey)}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
      {waiting && (
        <p className="notice warn" data-testid="case-awaiting-statement">
          {t('caseAwaitingStatement')}
        </p>
      )}
      <Notice tone="error" text={error} />
      {!closed && !waiting && (
        <div className="review-decide">
          <button type="button" onClick={() => void act('reminders', {})} data-testid="case-reminder">
            {t('caseSendReminder')}
          </button>
        </div>
      )}
      {!closed && !waiting && canClose && (
        <ManualConfirmation
          dueFen={c.slip.sale.dueFen}
          today={today}
          onRecord={(body) => void act('manual-confirmation', body)}
        />
      )}
      {!closed && (
        <div className="review-decide">
          <TextField
            label={t('caseNote')}
            value={note}
            onChange={setNote}
            maxLength={500}
            testId="case-note"
          />
          {!waiting && (
            <button
              type="button"
              className="primary"
              disabled={!note.trim()}
              onClick={() => void act('events', { event: 'contacted', note })}
            >
              {t('caseContacted')}
            </button>
          )}
          <button
            type="button"
            disabled={!note.trim()}
            onClick={() => void act('events', { event: 'noted', note })}
          >
            {t('caseAddNote')}
          </button>
          {canClose && !waiting && (
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

const CONFIRM_TENDERS = ['alipay', 'wechat', 'card', 'bank_transfer'] as const;

/** "My bank says I paid": which channel, how much (what is due), the day, the reference shown, what was seen. */
function ManualConfirmation({
  dueFen,
  today,
  onRecord,
}: {
  dueFen: number;
  today: string;
  onRecord: (body: Record<string, string | number>) => void;
}) {
  const { t } = useI18n();
  const [tender, setTender] = useState<(typeof CONFIRM_TENDERS)[number]>('alipay');
  const [amount, setAmount] = useState(formatYuan(dueFen));
  const [paidOn, setPaidOn] = useState(today);
  const [reference, setReference] = useState('');
  const [evidence, setEvidence] = useState('');
  const amountFen = parseYuan(amount);
  const valid =
    amountFen !== null && amountFen > 0 && reference.trim() !== '' && evidence.trim() !== '' && paidOn !== '';
  return (
    <form
      className="review-decide confirm-form"
      data-testid="manual-confirmation"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid)
          onRecord({
            tender,
            amountFen: amountFen ?? 0,
            paidOn,
            reference: reference.trim(),
            evidence: evidence.trim(),
          });
      }}
    >
      <h3>{t('confirmTitle')}</h3>
      <p className="hint">{t('confirmHint')}</p>
      <ChoiceField
        label={t('confirmTender')}
        value={tender}
        options={CONFIRM_TENDERS.map((x) => [x, t(`confirmTender_${x}` as MessageKey)] as const)}
        onChange={setTender}
      />
      <TextField
        label={t('confirmAmount')}
        value={amount}
        onChange={setAmount}
        inputMode="decimal"
        testId="confirm-amount"
      />
      <TextField label={t('confirmPaidOn')} value={paidOn} onChange={setPaidOn} type="date" />
      <TextField
        label={t('confirmReference')}
        value={reference}
        onChange={setReference}
        maxLength={64}
        testId="confirm-reference"
      />
      <TextField
        label={t('confirmEvidence')}
        value={evidence}
        onChange={setEvidence}
        maxLength={500}
        testId="confirm-evidence"
      />
      <button type="submit" className="primary" disabled={!valid}>
        {t('confirmRecord')}
      </button>
    </form>
  );
}
