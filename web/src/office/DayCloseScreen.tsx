/**
 * 日结 / Day close: the manager picks a till and a day, sees its takings per tender, the payments
 * still being checked (each must be acknowledged to close) and the slips still open, counts the
 * drawer by denomination, enters the terminal's batch total, and closes: the Z report is kept as
 * it is then, shown and printable, and never changes.
 */
import { useMemo, useState } from 'react';
import type { DayCloseView, TenderTotals } from '../../../src/api-shapes';
import { DENOMINATIONS_FEN } from '../../../src/shared';
import { newKey } from '../api/client';
import type { StoreView } from '../api/types';
import { ChoiceField, TextField } from '../common/Fields';
import { Notice } from '../common/Notice';
import { type MessageKey, useI18n } from '../i18n';
import { displayYuan, formatYuan, parseYuan } from '../money';
import { useLoad, usePost } from './use-load';

interface Preview {
  tenders: TenderTotals[];
  cashNetFen: number;
  cardRecordedFen: number;
  unknownAttempts: {
    id: string;
    tender: string;
    amountFen: number;
    status: string;
    merchantOrderNo: string;
  }[];
  openSlips: number;
  closed: DayCloseView | null;
}

export function DayCloseScreen({ store }: { store: StoreView | null }) {
  const { t, lang } = useI18n();
  const tills = store?.tills ?? [];
  const [tillId, setTillId] = useState(tills[0]?.id ?? '');
  const [day, setDay] = useState(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
  const preview = useLoad<Preview>(`/api/tills/${tillId}/day-close?day=${day}`);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [float, setFloat] = useState('500.00');
  const [batch, setBatch] = useState('');
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const { post, error } = usePost();
  const key = useMemo(() => newKey(), []);
  const p = preview.data;
  // The drawer as counted: notes and coins of each denomination (a blank is none).
  const count = Object.fromEntries(
    DENOMINATIONS_FEN.map((d) => [String(d), Number.parseInt(counts[d] ?? '0', 10) || 0]),
  );
  const counted = DENOMINATIONS_FEN.reduce((sum, d) => sum + d * (count[String(d)] ?? 0), 0);
  const floatFen = parseYuan(float);
  const batchFen = batch.trim() === '' ? null : parseYuan(batch);
  const close = async () => {
    const body = { day, floatFen: floatFen ?? 0, count, terminalBatchFen: batchFen, acknowledged };
    if (
      (await post(
        `/api/tills/${tillId}/day-close`,
        body,
        `${key}-${tillId}-${day}-${acknowledged.length}`,
      )) !== null
    )
      preview.reload();
  };
  return (
    <section className="day-close" aria-label={t('tab_dayclose')}>
      <p className="hint">{t('dayCloseHint')}</p>
      <div className="review-decide">
        <ChoiceField
          label={t('till')}
          value={tillId}
          options={tills.map((x) => [x.id, x.name] as const)}
          onChange={setTillId}
          testId="dayclose-till"
        />
        <TextField label={t('dayCloseDay')} value={day} onChange={setDay} type="date" testId="dayclose-day" />
      </div>
      {store && (
        // The store's day: its closed tills added up (the server names those not closed yet).
        <p data-testid="dayclose-store-report">
          <a
            href={`/api/stores/${store.id}/day-closes/report.html?day=${day}&lang=${lang}&width=80`}
            target="_blank"
            rel="noreferrer"
          >
            {t('dayCloseStoreReport')}
          </a>{' '}
          ·{' '}
          <a href={`/api/stores/${store.id}/day-closes/report.escpos?day=${day}&lang=${lang}&width=80`}>
            {t('dayClosePrint')}
          </a>
        </p>
      )}
      <Notice tone="error" text={preview.error} />
      {p && (
        <>
          <table className="grid" data-testid="dayclose-tenders">
            <tbody>
              {p.tenders.map((x) => (
                <tr key={x.tender}>
                  <td>{t(`dayCloseTender_${x.tender}` as MessageKey)}</td>
                  <td>{t('dayCloseSales', { n: x.salesCount, amount: displayYuan(x.salesFen) })}</td>
                  <td>
                    {x.refundsCount > 0
                      ? t('dayCloseRefunds', { n: x.refundsCount, amount: displayYuan(x.refundsFen) })
                      : ''}
                  </td>
                  <td className="amount">{displayYuan(x.netFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {p.closed ? (
            <ClosedReport close={p.closed} lang={lang} />
          ) : (
            <form
              className="review-card"
              data-testid="dayclose-form"
              onSubmit={(e) => {
                e.preventDefault();
                void close();
              }}
            >
              {p.unknownAttempts.length > 0 && (
                <fieldset className="approvers" data-testid="dayclose-unknown">
                  <legend>{t('dayCloseUnknown')}</legend>
                  {p.unknownAttempts.map((a) => (
                    <label key={a.id}>
                      <input
                        type="checkbox"
                        checked={acknowledged.includes(a.id)}
                        onChange={(e) =>
                          setAcknowledged((xs) =>
                            e.target.checked ? [...xs, a.id] : xs.filter((x) => x !== a.id),
                          )
                        }
                      />{' '}
                      {a.merchantOrderNo} · {displayYuan(a.amountFen)} ·{' '}
                      {t(`attemptStatus_${a.status}` as MessageKey)}
                    </label>
                  ))}
                </fieldset>
              )}
              {p.openSlips > 0 && <p className="hint">{t('dayCloseOpenSlips', { n: p.openSlips })}</p>}
              <TextField
                label={t('dayCloseFloat')}
                value={float}
                onChange={setFloat}
                inputMode="decimal"
                testId="dayclose-float"
              />
              <fieldset className="denominations">
                <legend>{t('dayCloseCount')}</legend>
                {DENOMINATIONS_FEN.map((d) => (
                  <TextField
                    key={d}
                    label={displayYuan(d)}
                    value={counts[d] ?? ''}
                    onChange={(v) => setCounts((c) => ({ ...c, [d]: v.replace(/\D/g, '') }))}
                    inputMode="decimal"
                    testId={`dayclose-count-${d}`}
                  />
                ))}
              </fieldset>
              <p>
                {t('dayCloseCounted', {
                  counted: displayYuan(counted),
                  expected: displayYuan((floatFen ?? 0) + p.cashNetFen),
                })}
              </p>
              <TextField
                label={t('dayCloseBatch', { card: formatYuan(p.cardRecordedFen) })}
                value={batch}
                onChange={setBatch}
                inputMode="decimal"
                testId="dayclose-batch"
              />
              <Notice tone="error" text={error} />
              <button
                type="submit"
                className="primary"
                disabled={floatFen === null || (batch.trim() !== '' && batchFen === null)}
              >
                {t('dayCloseClose')}
              </button>
            </form>
          )}
        </>
      )}
    </section>
  );
}

function ClosedReport({ close, lang }: { close: DayCloseView; lang: string }) {
  const { t } = useI18n();
  const r = close.report;
  return (
    <article className="review-card" data-testid="dayclose-report">
      <header>
        <strong>{t('dayCloseClosed')}</strong>
        <span className={r.overShortFen === 0 ? '' : 'badge overdue'}>
          {r.overShortFen === 0
            ? t('dayCloseEven')
            : t(r.overShortFen > 0 ? 'dayCloseOver' : 'dayCloseShort', {
                amount: displayYuan(Math.abs(r.overShortFen)),
              })}
        </span>
      </header>
      <iframe
        className="receipt-frame"
        title={t('dayCloseClosed')}
        src={`/api/day-closes/${close.id}/report.html?lang=${lang}&width=80`}
        style={{ width: '90mm', height: '720px', border: 0, background: '#fff' }}
      />
      <p>
        <a href={`/api/day-closes/${close.id}/report.escpos?lang=${lang}&width=80`}>{t('dayClosePrint')}</a>
      </p>
    </article>
  );
}
