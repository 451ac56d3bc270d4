/**
 * One past sale in the journal: its lines, payments and returns with where each refund stands, and
 * a return of some of its pieces — only what the server says may still come back, for the reasons
 * the store offers; a manager's approval asked for when the server asks for one.
 */
import { useEffect, useState } from 'react';
import { ApiError, get, mutate, newKey } from '../api/client';
import type { GuardedAction, ReturnView, Role, SaleReturns, SaleView } from '../api/types';
import { Notice } from '../common/Notice';
import { useFollow } from '../common/use-follow';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan } from '../money';
import { ApprovalDialog } from '../till/dialogs/ApprovalDialog';
import { ReceiptPanel } from '../till/ReceiptPanel';

type Disposition = 'restock' | 'damaged';
interface Asked {
  action: GuardedAction;
  minRole: Role;
  /** What to send again once granted: the return, or a failed refund's cash. */
  retry: (approvalId: string) => void;
  /** Why, in the server's words: the parts no provider will take back. */
  why?: string | null;
}

interface Blocked {
  tender: string;
  code: string;
  lastDay?: string;
}

export function SaleDetail({
  saleId,
  storeId,
  tillId,
  onChanged,
  onOpenSale,
}: {
  saleId: string;
  storeId: string;
  /** Null: the back office looks it up; a return is taken at a till. */
  tillId: string | null;
  onChanged: () => void;
  /** An exchange left a sale to pay (dearer): the till takes it up. */
  onOpenSale: (saleId: string) => void;
}) {
  const { t, lang } = useI18n();
  const [sale, setSale] = useState<SaleView | null>(null);
  const [offer, setOffer] = useState<SaleReturns | null>(null);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [goes, setGoes] = useState<Record<string, Disposition>>({});
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [withReceipt, setWithReceipt] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ReturnView | null>(null);
  const [asked, setAsked] = useState<Asked | null>(null);
  const [takes, setTakes] = useState<string[]>([]);
  const [take, setTake] = useState('');
  const [exchanged, setExchanged] = useState<string | null>(null);
  // One key per return being made: a double click or a retry after an approval sends the same one.
  const [key, setKey] = useState(newKey());

  const load = async () => {
    const [s, o] = await Promise.all([
      get<SaleView>(`/api/sales/${saleId}`),
      get<SaleReturns>(`/api/sales/${saleId}/returns`),
    ]);
    setSale(s);
    setOffer(o);
    setReason((r) => r || (o.reasons[0] ?? ''));
    return o;
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per sale
  useEffect(() => {
    void load();
  }, [saleId]);
  // A refund still asked of its provider: followed at the server's pace.
  useFollow(
    done?.checkAgainInMs ?? null,
    async () => {
      const o = await load();
      const now = o.returns.find((r) => r.id === done?.id);
      if (now) setDone(now);
    },
    done?.id,
  );

  if (!sale || !offer) return null;
  const left = new Map(offer.returnable.map((r) => [r.lineId, r.qty]));
  const mayReturn =
    tillId !== null &&
    sale.allowed.includes('return') &&
    offer.withinWindow &&
    offer.returnable.some((r) => r.qty > 0);
  const refundFen = sale.lines.reduce((sum, l) => {
    const n = qty[l.id] ?? 0;
    // The server decides the exact fen (the last piece of a line takes its odd fen); this is the preview.
    return sum + Math.floor((l.totalFen * n) / l.qty);
  }, 0);

  const submit = async (approvalId: string | null = null) => {
    if (tillId === null) return; // looked up in the back office: nothing is given back there
    setError(null);
    setExchanged(null);
    const lines = sale.lines
      .filter((l) => (qty[l.id] ?? 0) > 0)
      .map((l) => ({ lineId: l.id, qty: qty[l.id]!, disposition: goes[l.id] ?? 'restock' }));
    if (lines.length === 0) {
      setError(t('returnNothing'));
      return;
    }
    const body = { lines, reason, note, withReceipt, ...(approvalId ? { approvalId } : {}) };
    const requestKey = approvalId ? `${key}-${approvalId.slice(-8)}` : key;
    try {
      let back: ReturnView;
      if (takes.length > 0) {
        const answer = await mutate<{ return: ReturnView; sale: SaleView }>(
          'POST',
          `/api/sales/${saleId}/exchanges`,
          { ...body, takes: takes.map((barcode) => ({ barcode, qty: 1 })) },
          tillId,
          requestKey,
        );
        back = answer.return;
        setTakes([]);
        const refunded = back.refundFen - back.creditFen;
        setExchanged(
          answer.sale.dueFen > 0
            ? t('exchangeDue', { amount: displayYuan(answer.sale.dueFen) })
            : refunded > 0
              ? t('exchangeBack', { amount: displayYuan(refunded) })
              : t('exchangeEven'),
        );
        if (answer.sale.dueFen > 0) onOpenSale(answer.sale.id);
      } else
        back = await mutate<ReturnView>('POST', `/api/sales/${saleId}/returns`, body, tillId, requestKey);
      setDone(back);
      setQty({});
      setKey(newKey());
      await load();
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === 'approval_required') {
        const p = err.problem as unknown as Asked & { blocked?: Blocked[] };
        const why = (p.blocked ?? [])
          .map((b) =>
            t(`blocked_${b.code}` as MessageKey, {
              tender: t(`tender_${b.tender}` as MessageKey),
              day: b.lastDay ?? '',
            }),
          )
          .join('；');
        setAsked({ action: p.action, minRole: p.minRole, retry: (id) => void submit(id), why: why || null });
      } else setError(err instanceof ApiError ? err.problem.title : t('offline'));
    }
  };

  /** A refund its provider refused, given from the drawer instead (the server asks for a manager). */
  const inCash = async (returnId: string, refundId: string, approvalId: string | null = null) => {
    if (tillId === null) return;
    setError(null);
    try {
      await mutate<ReturnView>(
        'POST',
        `/api/sales/${saleId}/returns/${returnId}/cash-fallback`,
        { refundId, ...(approvalId ? { approvalId } : {}) },
        tillId,
        `${refundId}-${approvalId ?? 'ask'}`,
      );
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.problem.code === 'approval_required') {
        const p = err.problem as unknown as Asked;
        setAsked({
          action: p.action,
          minRole: p.minRole,
          retry: (id) => void inCash(returnId, refundId, id),
        });
      } else setError(err instanceof ApiError ? err.problem.title : t('offline'));
    }
  };

  return (
    <section className="sale-detail" aria-label={sale.number} data-testid="journal-sale">
      <h2>
        {sale.number} · {t(`journalStatus_${sale.status}` as MessageKey)} · {displayYuan(sale.totalFen)}
      </h2>
      {sale.returnedFen > 0 && <p>{t('journalReturned', { amount: displayYuan(sale.returnedFen) })}</p>}
      {offer.lastDay && (
        <p>{t(offer.withinWindow ? 'journalReturnUntil' : 'journalReturnPassed', { day: offer.lastDay })}</p>
      )}
      <h3>{t('journalPayments')}</h3>
      <ul className="payments">
        {sale.payments.map((p) => (
          <li key={p.id}>
            {t(`tender_${p.tender}` as MessageKey)} {displayYuan(p.amountFen)}
          </li>
        ))}
      </ul>
      <table className="return-lines">
        <tbody>
          {sale.lines.map((l) => (
            <tr key={l.id} data-testid="return-line">
              <td>
                {lang === 'zh-CN' ? l.nameZh : l.nameEn} · {l.size} ·{' '}
                {lang === 'zh-CN' ? l.colourZh : l.colourEn}
              </td>
              <td className="num">{displayYuan(l.totalFen)}</td>
              {mayReturn && (
                <>
                  <td>
                    <label>
                      {t('returnQty')}{' '}
                      <input
                        type="number"
                        min={0}
                        max={left.get(l.id) ?? 0}
                        value={qty[l.id] ?? 0}
                        disabled={(left.get(l.id) ?? 0) === 0}
                        onChange={(e) =>
                          setQty({
                            ...qty,
                            [l.id]: Math.max(0, Math.min(left.get(l.id) ?? 0, Number(e.target.value) || 0)),
                          })
                        }
                        aria-label={`${t('returnQty')} ${l.sku}`}
                      />{' '}
                      {t('returnOf', { n: left.get(l.id) ?? 0 })}
                    </label>
                  </td>
                  <td>
                    <select
                      value={goes[l.id] ?? 'restock'}
                      aria-label={`${t('returnDisposition')} ${l.sku}`}
                      onChange={(e) => setGoes({ ...goes, [l.id]: e.target.value as Disposition })}
                    >
                      <option value="restock">{t('disposition_restock')}</option>
                      <option value="damaged">{t('disposition_damaged')}</option>
                    </select>
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {mayReturn && (
        <form
          className="return-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label className="field">
            {t('returnReason')}
            <select value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('returnReason')}>
              {offer.reasons.map((r) => (
                <option key={r} value={r}>
                  {t(`reason_${r}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            {t('returnNote')}
            <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
          </label>
          <label>
            <input type="checkbox" checked={withReceipt} onChange={(e) => setWithReceipt(e.target.checked)} />{' '}
            {t('returnWithReceipt')}
          </label>
          <label className="field">
            {t('exchangeTake')}
            <input
              value={take}
              data-testid="exchange-take"
              onChange={(e) => setTake(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && take.trim()) {
                  e.preventDefault();
                  setTakes([...takes, take.trim()]);
                  setTake('');
                }
              }}
            />
          </label>
          {takes.length > 0 && <span data-testid="exchange-takes">{takes.join(', ')}</span>}
          {takes.length === 0 ? (
            <button type="submit" className="primary" data-testid="return-submit">
              {t('returnSubmit', { amount: displayYuan(refundFen) })}
            </button>
          ) : (
            <button type="submit" className="primary" data-testid="exchange-submit">
              {t('exchangeSubmit')}
            </button>
          )}
        </form>
      )}
      <Notice tone="error" text={error} />
      {/* Its receipt again: the server counts the prints, and marks every copy after the first 重印. */}
      {tillId !== null && sale.status === 'completed' && (
        <details className="journal-receipt">
          <summary>{t('journalReceipt')}</summary>
          <ReceiptPanel sale={sale} tillId={tillId} />
        </details>
      )}
      {done && (
        <p role="status">
          {t('returnDone', { number: done.number })} {exchanged}
        </p>
      )}
      {offer.returns.length > 0 && (
        <>
          <h3>{t('journalReturns')}</h3>
          {offer.returns.map((r) => (
            <div key={r.id} className="return" data-testid="return" data-progress={r.progress}>
              <strong>
                {r.number} · {displayYuan(r.refundFen)} · {t(`reason_${r.reason}` as MessageKey)}
              </strong>
              <ul>
                {r.creditFen > 0 && (
                  <li data-testid="exchange-credit">
                    {t('exchangeCredit', { amount: displayYuan(r.creditFen) })}
                  </li>
                )}
                {r.refunds.map((p) => (
                  <li key={p.id} data-testid="refund" data-progress={p.progress}>
                    {t(`refundOp_${p.operation}` as MessageKey)} {displayYuan(p.amountFen)} ·{' '}
                    {t(`refundProgress_${p.progress}` as MessageKey)}
                    {p.progress === 'failed' && tillId !== null && (
                      <button type="button" onClick={() => void inCash(r.id, p.id)}>
                        {t('refundInCash')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
      {asked && (
        <ApprovalDialog
          storeId={storeId}
          saleId={saleId}
          action={asked.action}
          minRole={asked.minRole}
          reason={note || t(`reason_${reason}` as MessageKey)}
          why={asked.why ?? null}
          onClose={() => setAsked(null)}
          onGranted={(approvalId) => {
            setAsked(null);
            asked.retry(approvalId);
          }}
        />
      )}
    </section>
  );
}
