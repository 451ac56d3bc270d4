/**
 * The sales journal at the till (销售流水): past sales found by what the customer brings — the
 * receipt's number or its QR code, the day, an amount, the card's last four digits with the day,
 * the phone on a slip — newest first; one opened shows its payments and returns, and takes a return.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { parseYuan } from '../../../src/shared';
import { ApiError, get } from '../api/client';
import type { JournalPage, JournalSale } from '../api/types';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { SaleDetail } from './SaleDetail';

export function JournalScreen({
  storeId,
  tillId,
  onOpenSale,
}: {
  storeId: string;
  /** The till it runs at; null in the back office (look-up only: returns are taken at a till). */
  tillId: string | null;
  /** A sale the till should take up (an exchange's, with more to pay). */
  onOpenSale: (saleId: string) => void;
}) {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  // No day: the latest sales first (the store's own clock decides what "today" is, not the device's).
  const [day, setDay] = useState('');
  const [minYuan, setMinYuan] = useState('');
  const [maxYuan, setMaxYuan] = useState('');
  const [last4, setLast4] = useState('');
  const [phone, setPhone] = useState('');
  const [page, setPage] = useState<JournalPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  const query = (after: string | null) => {
    const q = new URLSearchParams({ limit: '20' });
    if (code.trim()) q.set('code', code.trim());
    else if (day) {
      q.set('fromDay', day);
      q.set('toDay', day);
    }
    const min = minYuan ? parseYuan(minYuan) : null;
    const max = maxYuan ? parseYuan(maxYuan) : null;
    if (min !== null) q.set('minFen', String(min));
    if (max !== null) q.set('maxFen', String(max));
    if (last4.trim()) q.set('last4', last4.trim());
    if (phone.trim()) q.set('phone', phone.trim());
    if (after) q.set('after', after);
    return `/api/stores/${storeId}/journal?${q.toString()}`;
  };
  const search = async (after: string | null = null) => {
    setError(null);
    try {
      const found = await get<JournalPage>(query(after));
      setPage((before) =>
        after && before ? { sales: [...before.sales, ...found.sales], next: found.next } : found,
      );
      // A receipt scanned or typed names one sale: open it at once.
      if (code.trim() && found.sales.length === 1) setOpen(found.sales[0]!.id);
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.title : t('offline'));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the day's sales on opening, in the language shown
  useEffect(() => {
    void search();
  }, [storeId, lang]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(null);
    void search();
  };
  const time = (s: JournalSale) =>
    new Date(Date.parse(s.completedAt ?? s.openedAt) + 8 * 3_600_000).toISOString().slice(11, 16);

  return (
    <section className="journal" aria-label={t('journalTitle')}>
      <form className="journal-search" onSubmit={onSubmit}>
        <label className="field wide">
          {t('journalCode')}
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            data-testid="journal-code"
            autoFocus
          />
        </label>
        <label className="field">
          {t('journalDay')}
          <input type="date" value={day} onChange={(e) => setDay(e.target.value)} data-testid="journal-day" />
        </label>
        <label className="field">
          {t('journalMinYuan')}
          <input inputMode="decimal" value={minYuan} onChange={(e) => setMinYuan(e.target.value)} />
        </label>
        <label className="field">
          {t('journalMaxYuan')}
          <input inputMode="decimal" value={maxYuan} onChange={(e) => setMaxYuan(e.target.value)} />
        </label>
        <label className="field">
          {t('journalLast4')}
          <input
            inputMode="numeric"
            maxLength={4}
            value={last4}
            onChange={(e) => setLast4(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        <label className="field">
          {t('journalPhone')}
          <input inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('journalSearch')}
        </button>
      </form>
      <Notice tone="error" text={error} />
      {page && page.sales.length === 0 && <p>{t('journalNone')}</p>}
      {page && page.sales.length > 0 && (
        <table data-testid="journal-results">
          <thead>
            <tr>
              <th>{t('journalNumber')}</th>
              <th>{t('journalTime')}</th>
              <th className="num">{t('journalTotal')}</th>
              <th>{t('journalTenders')}</th>
              <th>{t('journalStatus')}</th>
            </tr>
          </thead>
          <tbody>
            {page.sales.map((s) => (
              <tr key={s.id} className={open === s.id ? 'selected' : ''}>
                <td>
                  <button type="button" className="link" onClick={() => setOpen(s.id)}>
                    {s.number}
                  </button>
                </td>
                <td>{time(s)}</td>
                <td className="num">{displayYuan(s.totalFen)}</td>
                <td>{s.tenders.map((x) => t(`tender_${x}` as MessageKey)).join(' + ')}</td>
                <td>{t(`journalStatus_${s.status}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.next && (
        <button type="button" onClick={() => void search(page.next)}>
          {t('journalMore')}
        </button>
      )}
      {open && (
        <SaleDetail
          key={open}
          saleId={open}
          storeId={storeId}
          tillId={tillId}
          onChanged={() => void search()}
          onOpenSale={onOpenSale}
        />
      )}
    </section>
  );
}
