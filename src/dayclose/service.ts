/**
 * Closing a till's day (日结), one transaction: the day's payments on that till's sales, the
 * attempts still being checked and the slips still open, the manager's count — the Z report is
 * computed once and kept as closed; it never changes, and the day cannot be closed twice.
 */
import { appendAudit } from '../audit';
import type { Ctx } from '../context';
import { type DayClosesTable, isUniqueViolation, prepared, type Tx, transaction } from '../db';
import { issuedSlipSales } from '../exceptions';
import { businessDaySpan, type Lang, localDate, Refusal } from '../kernel';
import { attemptsStillOpenAtTill } from '../payments';
import type { ReceiptDoc } from '../receipts';
import { countAtTill, paymentsAtTill } from '../sales';
import { nameOf, namesOf } from '../staff';
import { requireStore, storeById, tillById, tillsOf } from '../stores';
import { type CashCount, closeDay, type DayPayment, storeZReport, tenderTotals, type ZReport } from './model';
import { buildZReport } from './report';

/** The business day's span, yyyy-mm-dd in the store's calendar (China: UTC+8). */
const dayWindow = (day: string) => businessDaySpan(day);

async function tillOf(db: Tx, tillId: string) {
  const till = await tillById(db, tillId);
  if (!till) throw new Refusal('till_unknown');
  return { id: till.id, store_id: till.storeId, name: till.name };
}

async function dayFacts(db: Tx, tillId: string, day: string) {
  const { from, to } = dayWindow(day);
  const till = await tillOf(db, tillId);
  const payments: DayPayment[] = await paymentsAtTill(db, tillId, from, to);
  const unknown = await attemptsStillOpenAtTill(db, tillId, to);
  // Slips of this till still open at the day's end: the store's issued slips, then those of its sales here.
  const openSlips = await countAtTill(db, tillId, await issuedSlipSales(db, till.store_id, to));
  return { payments, unknown, openSlips };
}

export interface DayCloseView {
  id: string;
  storeId: string;
  tillId: string;
  day: string;
  report: ZReport;
  note: string | null;
  closedBy: string;
  closedAt: string;
}

const viewOf = (r: DayClosesTable): DayCloseView => ({
  id: r.id,
  storeId: r.store_id,
  tillId: r.till_id,
  day: r.business_day,
  report: JSON.parse(r.report_json) as ZReport,
  note: r.note,
  closedBy: r.closed_by,
  closedAt: r.closed_at,
});

/** Before closing: what the day adds up to so far, what is still being checked, and whether it is closed already. */
export async function previewDayClose(ctx: Ctx, tillId: string, day: string) {
  const db = ctx.db.kysely;
  const till = await tillOf(db, tillId);
  const facts = await dayFacts(db, tillId, day);
  const closed = await db
    .selectFrom('day_closes')
    .selectAll()
    .where('till_id', '=', tillId)
    .where('business_day', '=', day)
    .executeTakeFirst();
  const tenders = tenderTotals(facts.payments);
  return {
    tillId,
    storeId: till.store_id,
    day,
    tenders,
    cashNetFen: tenders.find((t) => t.tender === 'cash')?.netFen ?? 0,
    cardRecordedFen: tenders.find((t) => t.tender === 'card')?.netFen ?? 0,
    unknownAttempts: facts.unknown,
    openSlips: facts.openSlips,
    closed: closed ? viewOf(closed) : null,
  };
}

/**
 * A manager closes a till's day with the drawer's count. Refused while an attempt is still being
 * checked, unless the manager acknowledges each one (it stays on the report); refused for a day
 * not yet begun, or one already closed.
 */
export async function closeTillDay(
  ctx: Ctx,
  tillId: string,
  input: {
    day: string;
    floatFen: number;
    count: CashCount;
    terminalBatchFen: number | null;
    acknowledged: string[];
    note: string | null;
  },
): Promise<DayCloseView> {
  return transaction(ctx.db, 'full', async (tx) => {
    const till = await tillOf(tx, tillId);
    const zone = await requireStore(tx, till.store_id);
    const today = localDate(ctx.clock.now(), zone.timeZone);
    if (input.day > today) throw new Refusal('validation_failed', 'that day has not begun in the store');
    const already = await tx
      .selectFrom('day_closes')
      .select('id')
      .where('till_id', '=', tillId)
      .where('business_day', '=', input.day)
      .executeTakeFirst();
    if (already) throw new Refusal('day_close_done');
    const facts = await dayFacts(tx, tillId, input.day);
    const verdict = closeDay({
      payments: facts.payments,
      floatFen: input.floatFen,
      count: input.count,
      terminalBatchFen: input.terminalBatchFen,
      unknownAttemptIds: facts.unknown.map((a) => a.id),
      acknowledgedIds: input.acknowledged,
      openSlips: facts.openSlips,
    });
    if (!verdict.ok)
      throw new Refusal(
        verdict.code,
        undefined,
        verdict.code === 'day_close_unknown_attempts' ? { unacknowledged: verdict.unacknowledged } : {},
      );
    const row = {
      id: ctx.ids.next('zday'),
      store_id: till.store_id,
      till_id: tillId,
      business_day: input.day,
      report_json: JSON.stringify(verdict.report),
      note: input.note,
      closed_by: ctx.actor?.staffId ?? 'system',
      closed_at: ctx.clock.now().toISOString(),
    };
    try {
      await tx.insertInto('day_closes').values(row).execute();
    } catch (error: unknown) {
      if (isUniqueViolation(error)) throw new Refusal('day_close_done');
      throw error;
    }
    await appendAudit(tx, ctx.clock, ctx.ids, {
      storeId: till.store_id,
      actorId: row.closed_by,
      action: 'day.closed',
      entityType: 'day_close',
      entityId: row.id,
      after: {
        till: tillId,
        day: input.day,
        cashExpectedFen: verdict.report.cashExpectedFen,
        cashCountedFen: verdict.report.cashCountedFen,
        overShortFen: verdict.report.overShortFen,
        batchDifferenceFen: verdict.report.batchDifferenceFen,
        acknowledged: verdict.report.acknowledgedIds,
        openSlips: verdict.report.openSlips,
      },
    });
    return viewOf(row);
  });
}

/** A store's day: each till's close, and what is still open. */
export async function storeDay(ctx: Ctx, storeId: string, day: string) {
  const db = ctx.db.kysely;
  const tills = await tillsOf(db, storeId);
  const closes = await db
    .selectFrom('day_closes')
    .selectAll()
    .where('store_id', '=', storeId)
    .where('business_day', '=', day)
    .execute();
  return {
    storeId,
    day,
    tills: tills.map((t) => {
      const c = closes.find((x) => x.till_id === t.id);
      return { tillId: t.id, name: t.name, closed: c ? viewOf(c) : null };
    }),
  };
}

export async function dayCloseDoc(
  ctx: Ctx,
  id: string,
  options: { lang: Lang; publicUrl: string },
): Promise<ReceiptDoc> {
  const db = ctx.db.kysely;
  const row = await db.selectFrom('day_closes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Refusal('day_close_unknown');
  const store = await storeById(db, row.store_id);
  if (!store) throw new Refusal('store_unknown');
  const closedByName = await nameOf(db, row.closed_by);
  return buildZReport(
    {
      store,
      tillName: store.tills.find((t) => t.id === row.till_id)?.name ?? row.till_id,
      day: row.business_day,
      closedByName,
      closedAt: row.closed_at,
      report: JSON.parse(row.report_json) as ZReport,
      url: `${options.publicUrl.replace(/\/$/, '')}/api/day-closes/${row.id}/report.html`,
    },
    options.lang,
  );
}

/**
 * The store's Z report for a day (全店日结): its closed tills' kept reports added up, naming the
 * tills not closed yet. Refused while no till of the store is closed that day.
 */
export async function storeDayDoc(
  ctx: Ctx,
  storeId: string,
  day: string,
  options: { lang: Lang; publicUrl: string },
): Promise<ReceiptDoc> {
  const db = ctx.db.kysely;
  const store = await storeById(db, storeId);
  if (!store) throw new Refusal('store_unknown');
  const closes = await db
    .selectFrom('day_closes')
    .select(['till_id', 'report_json', 'closed_at', 'closed_by'])
    .where('store_id', '=', storeId)
    .where('business_day', '=', day)
    .orderBy('till_id')
    .execute();
  if (closes.length === 0) throw new Refusal('day_close_none');
  const names = await namesOf(
    db,
    closes.map((c) => c.closed_by),
  );
  const closed = new Set(closes.map((c) => c.till_id));
  return buildZReport(
    {
      store,
      tillName: '',
      day,
      closedByName: [...new Set(closes.map((c) => names.get(c.closed_by) ?? c.closed_by))].join(', '),
      closedAt: closes
        .map((c) => c.closed_at)
        .sort()
        .at(-1)!,
      report: storeZReport(closes.map((c) => JSON.parse(c.report_json) as ZReport)),
      url: `${options.publicUrl.replace(/\/$/, '')}/api/stores/${storeId}/day-closes/report.html?day=${day}`,
      wholeStore: {
        tills: store.tills.length,
        notClosed: store.tills.filter((t) => !closed.has(t.id)).map((t) => t.name),
      },
    },
    options.lang,
  );
}

const STOREOFDAYCLOSE_Q = prepared((db, p: { key: string }) =>
  db.selectFrom('day_closes').select('store_id').where('id', '=', p.key),
);

/** The store of a day close (the access guard asks, to scope a request); undefined when there is none. */
export async function storeOfDayClose(db: Tx, key: string): Promise<string | null | undefined> {
  const row = await STOREOFDAYCLOSE_Q.first(db, { key });
  return row?.store_id;
}

const CLOSED_DAY = prepared((db, p: { tillId: string; day: string }) =>
  db.selectFrom('day_closes').select('id').where('till_id', '=', p.tillId).where('business_day', '=', p.day),
);

/** Whether the till's business day was closed (sales asks before it sells at that till). */
export async function isTillDayClosed(tx: Tx, tillId: string, day: string): Promise<boolean> {
  return (await CLOSED_DAY.first(tx, { tillId, day })) !== undefined;
}
