/**
 * "Pairs on sight" is written twice, for speed: as SQL where the pairing reads a day's attempts
 * packed into one text (tills-recorded.ts, attemptsOfDay), and as the pure rule the matcher uses
 * (matcher.ts, pairsOnSight over recordedOf). This holds the two equal on both databases, for every
 * kind and state of attempt and every way its sale may have booked it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/context';
import { pairsOnSight } from '../../src/recon/matcher';
import { PACKED_ROW, PACKED_UNIT } from '../../src/recon/packed-text';
import { attemptsAround, attemptsOfDay, recordedOf } from '../../src/recon/tills-recorded';
import { openSale } from '../../src/sales';
import { ATTEMPT_KINDS, ATTEMPT_STATUSES, type PaymentStatus } from '../../src/shared';
import { prepareContext } from '../../src/start';
import { DIALECTS, freshDatabase, type TestDatabase } from '../support/databases';

const BOOKINGS: readonly (readonly PaymentStatus[])[] = [
  [],
  ['succeeded'],
  ['refunded'],
  ['duplicate'],
  ['duplicate_refunded'],
  ['succeeded', 'refunded'],
  ['refunded', 'succeeded'],
  ['duplicate', 'succeeded'],
];

describe.each(DIALECTS)('pairs on sight, in SQL and in the matcher, on %s', (dialect) => {
  let test: TestDatabase;
  let ctx: Ctx;
  const day = '2026-11-23';
  const at = '2026-11-23T03:00:00.000Z';

  beforeAll(async () => {
    test = await freshDatabase(dialect);
    ctx = await prepareContext(test.config, { seed: true });
    const sale = await openSale(ctx, { storeId: 'store_sh01', tillId: 'till_sh01_1', cashierId: null });
    let n = 0;
    for (const kind of ATTEMPT_KINDS)
      for (const status of ATTEMPT_STATUSES)
        for (const booking of BOOKINGS) {
          const id = `att_sight_${++n}`;
          await ctx.db.kysely
            .insertInto('payment_attempts')
            .values({
              id,
              sale_id: sale.id,
              store_id: 'store_sh01',
              till_id: 'till_sh01_1',
              tender: 'alipay',
              merchant_order_no: `SIGHT-${n}`,
              request_id: `R${n}`,
              amount_fen: 1_000 + n,
              status,
              provider_ref: `2026${n}`,
              masked_pan: null,
              brand: null,
              code: null,
              category: null,
              slip_json: null,
              cashier_id: sale.cashierId,
              checks: 0,
              created_at: at,
              sent_at: at,
              next_check_at: null,
              deadline_at: null,
              resolved_at: null,
              version: 1,
              kind,
              refund_of: null,
              sandbox: 0,
            })
            .execute();
          for (const [i, paymentStatus] of booking.entries())
            await ctx.db.kysely
              .insertInto('payments')
              .values({
                id: `pay_sight_${n}_${i}`,
                sale_id: sale.id,
                store_id: 'store_sh01',
                tender: 'alipay',
                status: paymentStatus,
                amount_fen: 1_000 + n,
                tendered_fen: 1_000 + n,
                change_fen: 0,
                created_at: new Date(Date.parse(at) + i).toISOString(),
                attempt_id: id,
              })
              .execute();
        }
  });
  afterAll(async () => {
    await ctx.db.close();
    await test.drop();
  });

  it('gives every attempt the same answer both ways', async () => {
    const bySql = new Map<string, boolean>();
    const source = attemptsOfDay(ctx.db.kysely, ctx.db.dialect, 'alipay', null, (_phase, work) => work());
    for await (const packed of source(day))
      for (const row of (packed ?? '').split(PACKED_ROW).filter(Boolean)) {
        const [sight, id] = row.split(PACKED_UNIT);
        bySql.set(id ?? '', sight === 's');
      }
    const rows = await attemptsAround(ctx.db.kysely, 'alipay', [day], null, null);
    const byRule = new Map(rows.map((r) => [r.id, pairsOnSight(recordedOf('alipay', r))]));
    expect(bySql.size).toBe(ATTEMPT_KINDS.length * ATTEMPT_STATUSES.length * BOOKINGS.length);
    expect([...byRule.keys()].sort()).toEqual([...bySql.keys()].sort());
    const disagree = [...bySql].filter(([id, sight]) => byRule.get(id) !== sight).map(([id]) => id);
    expect(disagree).toEqual([]);
    // And the rule is not empty: a succeeded payment booked to its sale pairs on sight.
    expect([...bySql.values()].filter(Boolean).length).toBeGreaterThan(0);
  });
});
