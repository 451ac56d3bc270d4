/** The manager's follow-up queue, first thing in the morning. */
import type { Ctx } from '../context';
import { saleNumbers } from '../sales';
import { maskPhone } from '../shared';
import { type CaseStatus, type GoodsDisposition, orderQueue, type Urgency, urgencyOf } from './model';

export interface QueueItem {
  caseId: string;
  status: CaseStatus;
  urgency: Urgency;
  dueAt: string;
  openedAt: string;
  slip: {
    number: string;
    dueFen: number;
    goods: GoodsDisposition;
    customerName: string;
    customerPhone: string;
    reason: string;
  };
  saleNumber: string;
  lastEvent: { at: string; event: string; note: string | null } | null;
}

/** The manager's queue for a store, first thing in the morning: overdue first, then today's. */
export async function followUpQueue(ctx: Ctx, storeId: string): Promise<QueueItem[]> {
  const db = ctx.db.kysely;
  const rows = await db
    .selectFrom('follow_up_cases as c')
    .innerJoin('slips as s', 's.id', 'c.slip_id')
    .select([
      'c.id',
      'c.status',
      'c.due_at',
      'c.opened_at',
      's.number',
      's.due_fen',
      's.goods',
      's.customer_name',
      's.customer_phone',
      's.reason',
      's.sale_id',
    ])
    .where('c.store_id', '=', storeId)
    .where('c.status', 'in', ['open', 'contacted', 'awaiting_statement'])
    .limit(500)
    .execute()
    .then(async (found) => {
      const numbers = await saleNumbers(
        db,
        found.map((r) => r.sale_id),
      );
      return found.map((r) => ({ ...r, sale_number: numbers.get(r.sale_id) ?? '' }));
    });
  const now = ctx.clock.now().getTime();
  const ordered = orderQueue(
    rows.map((r) => ({
      ...r,
      dueAt: Date.parse(r.due_at),
      openedAt: Date.parse(r.opened_at),
      status: r.status,
    })),
    now,
  );
  // Each case's latest timeline line, read once for the whole queue.
  const latest = new Map<string, { at: string; event: string; note: string | null }>();
  if (ordered.length > 0)
    for (const e of await db
      .selectFrom('follow_up_events as e')
      .select(['e.case_id', 'e.at', 'e.event', 'e.note'])
      .where(
        'e.case_id',
        'in',
        ordered.map((r) => r.id),
      )
      .where((eb) =>
        eb(
          'e.seq',
          '=',
          eb
            .selectFrom('follow_up_events as x')
            .select((x) => x.fn.max('x.seq').as('m'))
            .whereRef('x.case_id', '=', 'e.case_id'),
        ),
      )
      .execute())
      latest.set(e.case_id, { at: e.at, event: e.event, note: e.note });
  const items: QueueItem[] = [];
  for (const r of ordered) {
    const last = latest.get(r.id);
    items.push({
      caseId: r.id,
      status: r.status,
      urgency: urgencyOf(r, now),
      dueAt: r.due_at,
      openedAt: r.opened_at,
      slip: {
        number: r.number,
        dueFen: Number(r.due_fen),
        goods: r.goods,
        customerName: r.customer_name,
        customerPhone: maskPhone(r.customer_phone),
        reason: r.reason,
      },
      saleNumber: r.sale_number,
      lastEvent: last ?? null,
    });
  }
  return items;
}
