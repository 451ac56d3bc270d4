/**
 * 评价与投诉 / Feedback & complaints: customers' ratings from their receipts and slips (one and
 * two stars flagged), complaints opened from a rating or a call, and — for a manager — what the
 * store gives to make one good (a refund through the provider that took the money, a coupon, a
 * gift), its resolution, and reopening it. Everything here is in the audit log too.
 */
import { useMemo, useState } from 'react';
import type { ComplaintListItem, ComplaintView, FeedbackView } from '../../../src/api-shapes';
import { newKey } from '../api/client';
import type { SessionView } from '../api/types';
import { ChoiceField, TextField } from '../common/Fields';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan, parseYuan } from '../money';
import { useLoad, usePost } from './use-load';

const stars = (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n);

export function FeedbackScreen({ storeId, session }: { storeId: string; session: SessionView }) {
  const { t } = useI18n();
  const feedback = useLoad<{ feedback: FeedbackView[] }>(`/api/stores/${storeId}/feedback`);
  const complaints = useLoad<{ complaints: ComplaintListItem[] }>(`/api/stores/${storeId}/complaints`);
  const [open, setOpen] = useState<string | null>(null);
  const [draft, setDraft] = useState<{ feedbackId: string | null; saleNumber: string } | null>(null);
  const manager = session.role === 'manager' || session.role === 'admin';
  const reload = () => {
    feedback.reload();
    complaints.reload();
  };
  return (
    <section className="feedback-office" aria-label={t('tab_feedback')}>
      <p className="hint">{t('feedbackHint')}</p>
      <h2>{t('feedbackRatings')}</h2>
      <Notice tone="error" text={feedback.error} />
      {feedback.data?.feedback.length === 0 && <p>{t('feedbackNone')}</p>}
      <table className="grid" data-testid="feedback-list">
        <tbody>
          {feedback.data?.feedback.map((f) => (
            <tr key={f.id} className={f.wantsAttention ? 'urgency-overdue' : ''}>
              <td className="stars" aria-label={t('feedbackStars', { n: f.rating })}>
                {stars(f.rating)}
              </td>
              <td className="detail">{f.comment || '—'}</td>
              <td>
                {f.saleNumber}
                <br />
                <small>{t(`feedbackVia_${f.via}` as MessageKey)}</small>
              </td>
              <td>
                <time>{new Date(f.createdAt).toLocaleString()}</time>
              </td>
              <td>
                {f.complaintId ? (
                  <button type="button" onClick={() => setOpen(f.complaintId)}>
                    {f.complaintNumber}
                  </button>
                ) : (
                  <button
                    type="button"
                    className={f.wantsAttention ? 'warn' : ''}
                    onClick={() => setDraft({ feedbackId: f.id, saleNumber: f.saleNumber })}
                  >
                    {t('feedbackOpenComplaint')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('complaints')}</h2>
      <button type="button" onClick={() => setDraft({ feedbackId: null, saleNumber: '' })}>
        {t('complaintNew')}
      </button>
      <Notice tone="error" text={complaints.error} />
      {complaints.data?.complaints.length === 0 && <p>{t('complaintsNone')}</p>}
      <table className="grid" data-testid="complaint-list">
        <tbody>
          {complaints.data?.complaints.map((c) => (
            <tr key={c.id}>
              <td>
                <strong>{c.number}</strong>
                <br />
                <span className={`badge ${c.status === 'open' ? 'due_today' : ''}`}>
                  {t(`complaint_${c.status}` as MessageKey)}
                </span>
              </td>
              <td>
                {c.customerName}
                {c.saleNumber ? (
                  <>
                    <br />
                    <small>{c.saleNumber}</small>
                  </>
                ) : null}
              </td>
              <td className="detail">{c.description}</td>
              <td className="amount">
                {c.totalCompensationFen > 0 ? displayYuan(c.totalCompensationFen) : ''}
              </td>
              <td>
                <button type="button" onClick={() => setOpen(c.id)}>
                  {t('openCase')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft && (
        <NewComplaint
          key={draft.feedbackId ?? 'new'}
          storeId={storeId}
          draft={draft}
          onDone={(id) => {
            setDraft(null);
            setOpen(id);
            reload();
          }}
          onCancel={() => setDraft(null)}
        />
      )}
      {open && <ComplaintDetail key={open} complaintId={open} manager={manager} onChanged={reload} />}
    </section>
  );
}

function NewComplaint({
  storeId,
  draft,
  onDone,
  onCancel,
}: {
  storeId: string;
  draft: { feedbackId: string | null; saleNumber: string };
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [saleNumber, setSaleNumber] = useState(draft.saleNumber);
  const [description, setDescription] = useState('');
  const { post, error } = usePost();
  const key = useMemo(() => newKey(), []);
  const valid = name.trim() !== '' && description.trim() !== '';
  return (
    <form
      className="review-card"
      data-testid="complaint-new"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!valid) return;
        const made = await post<ComplaintView>(
          `/api/stores/${storeId}/complaints`,
          {
            customerName: name.trim(),
            customerPhone: phone.trim() || null,
            saleNumber: draft.feedbackId ? null : saleNumber.trim() || null,
            feedbackId: draft.feedbackId,
            description: description.trim(),
          },
          key,
        );
        if (made) onDone(made.id);
      }}
    >
      <h3>{t('complaintNew')}</h3>
      <TextField
        label={t('slipCustomerName')}
        value={name}
        onChange={setName}
        maxLength={40}
        testId="complaint-name"
      />
      <TextField
        label={t('complaintPhone')}
        value={phone}
        onChange={setPhone}
        maxLength={30}
        inputMode="tel"
      />
      <TextField
        label={t('complaintSale')}
        value={saleNumber}
        onChange={setSaleNumber}
        maxLength={40}
        disabled={draft.feedbackId !== null}
      />
      <label>
        {t('complaintDescription')}
        <textarea
          value={description}
          maxLength={1000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
          data-testid="complaint-description"
        />
      </label>
      <Notice tone="error" text={error} />
      <div className="buttons">
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" className="primary" disabled={!valid}>
          {t('complaintOpen')}
        </button>
      </div>
    </form>
  );
}

function ComplaintDetail({
  complaintId,
  manager,
  onChanged,
}: {
  complaintId: string;
  manager: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const detail = useLoad<ComplaintView>(`/api/complaints/${complaintId}`);
  const [kind, setKind] = useState<'refund' | 'coupon' | 'gift'>('coupon');
  const [value, setValue] = useState('');
  const [what, setWhat] = useState('');
  const [text, setText] = useState('');
  const { post, error } = usePost();
  const key = useMemo(() => newKey(), []);
  const c = detail.data;
  const act = async (path: string, body: Record<string, string | number>) => {
    // One key per intent: the next act (the history has grown) is a new one.
    const k = `${key}-${path}-${c?.history.length ?? 0}`;
    if ((await post(`/api/complaints/${complaintId}/${path}`, body, k)) === null) return;
    setValue('');
    setWhat('');
    setText('');
    detail.reload();
    onChanged();
  };
  if (!c) return <Notice tone="error" text={detail.error} />;
  const valueFen = parseYuan(value);
  return (
    <article className="review-card" data-testid="complaint-detail">
      <header>
        <strong>{c.number}</strong>
        <span>{t(`complaint_${c.status}` as MessageKey)}</span>
        {c.totalCompensationFen > 0 && (
          <span className="amount">
            {t('complaintTotal')} {displayYuan(c.totalCompensationFen)}
          </span>
        )}
      </header>
      <dl>
        <dt>{t('slipCustomerName')}</dt>
        <dd>
          {c.customerName}
          {c.customerPhone ? ` · ${c.customerPhone}` : ''}
        </dd>
        {c.saleNumber && (
          <>
            <dt>{t('complaintSale')}</dt>
            <dd>{c.saleNumber}</dd>
          </>
        )}
        <dt>{t('complaintDescription')}</dt>
        <dd>{c.description}</dd>
        {c.resolution && (
          <>
            <dt>{t('complaintResolution')}</dt>
            <dd>{c.resolution}</dd>
          </>
        )}
      </dl>
      <h3>{t('complaintCompensations')}</h3>
      {c.compensations.length === 0 && <p>—</p>}
      <ul className="timeline" data-testid="complaint-compensations">
        {c.compensations.map((k) => (
          <li key={k.id}>
            {t(`compensation_${k.kind}` as MessageKey)} {displayYuan(k.valueFen)}
            {k.detail ? ` — ${k.detail}` : ''}
            {k.refundStatus
              ? ` · ${t('compensationRefundStatus', { status: t(`refundState_${k.refundStatus}` as MessageKey) })}`
              : ''}
          </li>
        ))}
      </ul>
      <h3>{t('complaintHistory')}</h3>
      <ol className="timeline">
        {c.history.map((h) => (
          <li key={`${h.at}-${h.action}`}>
            <time>{new Date(h.at).toLocaleString()}</time>{' '}
            {t(`complaintAction_${h.action.replace('complaint.', '')}` as MessageKey)}
          </li>
        ))}
      </ol>
      <Notice tone="error" text={error} />
      {manager && c.status === 'open' && (
        <form
          className="review-decide"
          onSubmit={(e) => {
            e.preventDefault();
            if (valueFen !== null && valueFen > 0)
              void act('compensations', { kind, valueFen, detail: what.trim() });
          }}
        >
          <ChoiceField
            label={t('compensationKind')}
            value={kind}
            options={(['coupon', 'gift', 'refund'] as const).map(
              (x) => [x, t(`compensation_${x}` as MessageKey)] as const,
            )}
            onChange={setKind}
            testId="compensation-kind"
          />
          <TextField
            label={t('compensationValue')}
            value={value}
            onChange={setValue}
            inputMode="decimal"
            testId="compensation-value"
          />
          <TextField
            label={t('compensationDetail')}
            value={what}
            onChange={setWhat}
            maxLength={200}
            testId="compensation-detail"
          />
          <button type="submit" disabled={valueFen === null || valueFen <= 0}>
            {t('compensationGive')}
          </button>
        </form>
      )}
      {manager && (
        <div className="review-decide">
          <label>
            {t(c.status === 'open' ? 'complaintResolution' : 'complaintReopenWhy')}
            <input
              value={text}
              maxLength={500}
              onChange={(e) => setText(e.target.value)}
              data-testid="complaint-text"
            />
          </label>
          <button
            type="button"
            className="primary"
            disabled={!text.trim()}
            onClick={() => void act(c.status === 'open' ? 'resolve' : 'reopen', { text: text.trim() })}
          >
            {t(c.status === 'open' ? 'complaintResolve' : 'complaintReopen')}
          </button>
        </div>
      )}
    </article>
  );
}
