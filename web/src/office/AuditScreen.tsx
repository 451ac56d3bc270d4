/** Searching the audit log: by person, action, sale and time; every event with both names where there are two. */
import { type FormEvent, useState } from 'react';
import { ApiError, get } from '../api/client';
import type { AuditHit } from '../api/types';
import { Notice } from '../common/Notice';
import { useI18n } from '../i18n';

const ACTION_PREFIXES = ['', 'sale.', 'payment.', 'approval.', 'session.', 'staff.', 'stock.', 'catalog.'];

interface Filters {
  actor: string;
  action: string;
  sale: string;
  from: string;
  to: string;
}

function queryOf(storeId: string, f: Filters, cursor: string | null): string {
  const q = new URLSearchParams({ storeId, limit: '50' });
  if (f.actor.trim()) q.set('actor', f.actor.trim());
  if (f.action.trim()) q.set('action', f.action.trim());
  if (f.sale.trim()) q.set('saleId', f.sale.trim());
  // datetime-local is the browser's local time; the API takes an instant.
  if (f.from) q.set('from', new Date(f.from).toISOString());
  if (f.to) q.set('to', new Date(f.to).toISOString());
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

export function AuditScreen({ storeId }: { storeId: string }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>({ actor: '', action: '', sale: '', from: '', to: '' });
  const [events, setEvents] = useState<AuditHit[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chain, setChain] = useState<string | null>(null);

  const search = async (cursor: string | null) => {
    setError(null);
    try {
      const page = await get<{ events: AuditHit[]; next: string | null }>(
        `/api/audit?${queryOf(storeId, filters, cursor)}`,
      );
      setEvents((old) => (cursor && old ? [...old, ...page.events] : page.events));
      setNext(page.next);
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.title : String(e));
    }
  };
  const verify = async () => {
    try {
      const v = await get<{
        ok: boolean;
        chains: { chain: string; ok: boolean; events: number; brokenAtSeq?: number }[];
      }>(`/api/audit/verify?storeId=${storeId}`);
      const broken = v.chains.find((c) => !c.ok);
      setChain(
        broken
          ? t('chainBroken', { seq: broken.brokenAtSeq ?? '?' })
          : t('chainOk', { n: v.chains.reduce((n, c) => n + c.events, 0) }),
      );
    } catch (e) {
      setChain(e instanceof ApiError ? e.problem.title : String(e));
    }
  };
  const set = (k: keyof Filters) => (v: string) => setFilters((f) => ({ ...f, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void search(null);
  };

  return (
    <section className="audit" aria-label={t('tab_audit')}>
      <form className="filters" onSubmit={submit}>
        <label className="field">
          {t('auditActor')}
          <input
            value={filters.actor}
            onChange={(e) => set('actor')(e.target.value)}
            aria-label={t('auditActor')}
          />
        </label>
        <label className="field">
          {t('auditAction')}
          <input
            list="audit-actions"
            value={filters.action}
            onChange={(e) => set('action')(e.target.value)}
            aria-label={t('auditAction')}
          />
          <datalist id="audit-actions">
            {ACTION_PREFIXES.filter(Boolean).map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label className="field">
          {t('auditSale')}
          <input
            value={filters.sale}
            onChange={(e) => set('sale')(e.target.value)}
            aria-label={t('auditSale')}
          />
        </label>
        <label className="field">
          {t('auditFrom')}
          <input
            type="datetime-local"
            value={filters.from}
            onChange={(e) => set('from')(e.target.value)}
            aria-label={t('auditFrom')}
          />
        </label>
        <label className="field">
          {t('auditTo')}
          <input
            type="datetime-local"
            value={filters.to}
            onChange={(e) => set('to')(e.target.value)}
            aria-label={t('auditTo')}
          />
        </label>
        <div className="buttons">
          <button type="submit" className="primary">
            {t('search')}
          </button>
          <button type="button" onClick={() => void verify()}>
            {t('verifyChain')}
          </button>
        </div>
      </form>
      <Notice tone="info" text={chain} testId="chain-verdict" />
      <Notice tone="error" text={error} />
      {events && events.length === 0 && <p>{t('noResults')}</p>}
      {events && events.length > 0 && (
        <table className="grid" data-testid="audit-results">
          <thead>
            <tr>
              <th>{t('auditTime')}</th>
              <th>{t('auditActor')}</th>
              <th>{t('auditAction')}</th>
              <th>{t('auditSale')}</th>
              <th>{t('auditDetail')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.actorName ?? e.actorId}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.saleId ?? ''}</td>
                <td className="detail">{summary(e.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={() => void search(next)}>
          {t('loadMore')}
        </button>
      )}
    </section>
  );
}

/** The event's "after" in one line: names of people first, then the other fields. */
function summary(after: unknown): string {
  if (!after || typeof after !== 'object') return '';
  return Object.entries(after as Record<string, unknown>)
    .map(([k, v]) => {
      if (v && typeof v === 'object' && 'name' in v) return `${k}: ${String((v as { name: unknown }).name)}`;
      const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
      return `${k}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
    })
    .join(' · ');
}
