/**
 * 对账 / Reconciliation: the accountant imports a provider's statement (Alipay's bill, WeChat
 * Pay's bill, the card settlement file), sees what matched and every difference as a case, and
 * resolves each — link the money to a customer's proof of payment, refund it through the provider,
 * or write it off — or reopens one. A file with a bad line is refused whole, its lines listed.
 */
import { useMemo, useState } from 'react';
import type { ImportSummary, LineProblem, ReconCaseView } from '../../../src/api-shapes';
import { ApiError, newKey, sendFile } from '../api/client';
import { ChoiceField, TextField } from '../common/Fields';
import { Notice } from '../common/Notice';
import { type MessageKey, type Translate, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { useLoad, usePost } from './use-load';

const PROVIDERS = ['alipay', 'wechat', 'card'] as const;
type Provider = (typeof PROVIDERS)[number];

export function ReconScreen({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<'open' | 'resolved'>('open');
  const cases = useLoad<{ cases: ReconCaseView[] }>(`/api/stores/${storeId}/recon-cases?status=${status}`);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="recon" aria-label={t('tab_recon')}>
      <p className="hint">{t('reconHint')}</p>
      <ImportForm storeId={storeId} onImported={cases.reload} />
      <h2>{t('reconCases')}</h2>
      <ChoiceField
        label={t('reconShow')}
        value={status}
        options={[
          ['open', t('reconStatus_open')],
          ['resolved', t('reconStatus_resolved')],
        ]}
        onChange={setStatus}
      />
      <Notice tone="error" text={cases.error} />
      {cases.data?.cases.length === 0 && <p>{t('reconNoCases')}</p>}
      <table className="grid" data-testid="recon-cases">
        <tbody>
          {cases.data?.cases.map((c) => (
            <tr key={c.id}>
              <td>
                <span className="badge overdue">{t(`reconKind_${c.kind}` as MessageKey)}</span>
                <br />
                <small>{t(`wallet_${c.provider}` as MessageKey)}</small>
              </td>
              <td className="amount">{displayYuan(c.amountFen)}</td>
              <td className="mono">
                {c.line
                  ? `${c.line.merchantOrderNo || '—'} · ${c.line.providerRef}`
                  : (c.attempt?.merchantOrderNo ?? '')}
                <br />
                <small>
                  {c.attempt
                    ? `${c.attempt.saleNumber} · ${t(`attemptStatus_${c.attempt.status}` as MessageKey)}`
                    : ''}
                </small>
              </td>
              <td className="detail">{caseWords(t, c)}</td>
              <td>
                <button type="button" onClick={() => setOpen(c.id)}>
                  {t('openCase')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && <CaseDetail key={open} caseId={open} onChanged={cases.reload} />}
    </section>
  );
}

function ImportForm({ storeId, onImported }: { storeId: string; onImported: () => void }) {
  const { t } = useI18n();
  const [provider, setProvider] = useState<Provider>('alipay');
  const [file, setFile] = useState<File | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = async () => {
    if (!file) return;
    setError(null);
    setSummary(null);
    try {
      const path = `/api/recon/imports?provider=${provider}&storeId=${storeId}&fileName=${encodeURIComponent(file.name)}`;
      setSummary(await sendFile<ImportSummary>(path, file, newKey()));
      onImported();
    } catch (e) {
      // A refused file answers with its summary: every bad line and why.
      const body =
        e instanceof ApiError ? (e.problem as unknown as Partial<ImportSummary> & { title?: string }) : null;
      if (body?.errors) setSummary(body as ImportSummary);
      else setError(body?.title ?? String(e));
    }
  };
  return (
    <form
      className="review-decide"
      data-testid="recon-import"
      onSubmit={(e) => {
        e.preventDefault();
        void upload();
      }}
    >
      <ChoiceField
        label={t('reconProvider')}
        value={provider}
        options={PROVIDERS.map((p) => [p, t(`wallet_${p}` as MessageKey)] as const)}
        onChange={setProvider}
        testId="recon-provider"
      />
      <label>
        {t('reconFile')}
        <input type="file" data-testid="recon-file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <button type="submit" className="primary" disabled={!file}>
        {t('reconImport')}
      </button>
      <Notice tone="error" text={error} />
      {summary && (
        <div data-testid="recon-summary">
          {summary.errors.length > 0 ? (
            <>
              <p className="notice warn">{t('reconRefused', { n: summary.errors.length })}</p>
              <ul>
                {summary.errors.map((e) => (
                  <li key={`${e.line}-${e.reason}`}>
                    {t('reconBadLine', { line: e.line, reason: problemWords(t, e.problem) })}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              {t('reconImported', {
                lines: summary.lines,
                newLines: summary.newLines,
                matched: summary.matched,
                cases: Object.values(summary.cases).reduce((a, b) => a + b, 0),
              })}
            </p>
          )}
        </div>
      )}
    </form>
  );
}

function CaseDetail({ caseId, onChanged }: { caseId: string; onChanged: () => void }) {
  const { t } = useI18n();
  const detail = useLoad<ReconCaseView>(`/api/recon-cases/${caseId}`);
  const [reason, setReason] = useState('');
  const [candidate, setCandidate] = useState(0);
  const { post, error } = usePost();
  const key = useMemo(() => newKey(), []);
  const c = detail.data;
  const act = async (path: 'resolve' | 'reopen', body: Record<string, string | number>) => {
    const k = `${key}-${path}-${String(body.action ?? '')}-${c?.status}`;
    if ((await post(`/api/recon-cases/${caseId}/${path}`, body, k)) === null) return;
    setReason('');
    detail.reload();
    onChanged();
  };
  if (!c) return <Notice tone="error" text={detail.error} />;
  return (
    <article className="review-card" data-testid="recon-case">
      <header>
        <strong>{t(`reconKind_${c.kind}` as MessageKey)}</strong>
        <span>{t(`reconStatus_${c.status}` as MessageKey)}</span>
        <span className="amount">{displayYuan(c.amountFen)}</span>
      </header>
      <dl>
        {c.line && (
          <>
            <dt>{t('reconLine')}</dt>
            <dd className="mono">
              {c.line.merchantOrderNo || '—'} · {c.line.providerRef} · {new Date(c.line.at).toLocaleString()}
            </dd>
          </>
        )}
        {c.attempt && (
          <>
            <dt>{t('reconAttempt')}</dt>
            <dd className="mono">
              {c.attempt.saleNumber} · {c.attempt.merchantOrderNo} ·{' '}
              {t(`attemptStatus_${c.attempt.status}` as MessageKey)}
            </dd>
          </>
        )}
        <dt>{t('reconDetail')}</dt>
        <dd>{caseWords(t, c)}</dd>
      </dl>
      {c.candidates.length > 0 && c.status === 'open' && (
        <fieldset className="approvers" data-testid="recon-candidates">
          <legend>{t('reconCandidates')}</legend>
          {c.candidates.map((k, i) => (
            <label key={`${k.saleId}-${k.type}`}>
              <input
                type="radio"
                name="candidate"
                checked={candidate === i}
                onChange={() => setCandidate(i)}
              />{' '}
              {k.saleNumber ?? k.saleId} — {k.why}
            </label>
          ))}
        </fieldset>
      )}
      <Notice tone="error" text={error} />
      <div className="review-decide">
        <TextField
          label={t('reconReason')}
          value={reason}
          onChange={setReason}
          maxLength={300}
          testId="recon-reason"
        />
        {c.status === 'open' ? (
          <>
            {c.candidates.length > 0 && (
              <button
                type="button"
                className="primary"
                disabled={!reason.trim()}
                onClick={() => void act('resolve', { action: 'link', candidate, reason })}
              >
                {t('reconLink')}
              </button>
            )}
            {c.attempt && (c.kind === 'charged_not_recorded' || c.kind === 'duplicate_charge') && (
              <button
                type="button"
                disabled={!reason.trim()}
                onClick={() => void act('resolve', { action: 'refund', reason })}
              >
                {t('reconRefund')}
              </button>
            )}
            <button
              type="button"
              className="warn"
              disabled={!reason.trim()}
              onClick={() => void act('resolve', { action: 'write_off', reason })}
            >
              {t('reconWriteOff')}
            </button>
          </>
        ) : (
          <button type="button" disabled={!reason.trim()} onClick={() => void act('reopen', { reason })}>
            {t('reconReopen')}
          </button>
        )}
      </div>
    </article>
  );
}

/** What a case is, or how it ended, in the reader's language (the server keeps codes and facts). */
function caseWords(t: Translate, c: ReconCaseView): string {
  const r = c.resolution;
  if (r) {
    if (r.code === 'refunded') return t('reconDone_refunded', { order: r.refundOrderNo, reason: r.reason });
    if (r.code === 'linked' || r.code === 'written_off')
      return t(`reconDone_${r.code}`, { reason: r.reason });
    return t(`reconDone_${r.code}`);
  }
  const d = c.detail;
  if (d.code === 'amount_differs')
    return t('reconWhy_amount_differs', { recorded: displayYuan(d.recordedFen) });
  if (d.code === 'recorded_as') return t('reconWhy_recorded_as', { status: d.status });
  if (d.code === 'candidates') return t('reconWhy_candidates', { count: d.count });
  return t(`reconWhy_${d.code}`);
}

/** What is wrong with a line of a refused file, in the reader's language. */
function problemWords(t: Translate, p: LineProblem): string {
  const { code, ...facts } = p;
  return t(`reconBad_${code}` as MessageKey, facts as Record<string, string | number>);
}
