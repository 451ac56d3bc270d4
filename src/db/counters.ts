/**
 * Numbering: the next number of a named sequence within a scope (a store's sales, slips or
 * complaints of a day), taken in the caller's transaction so a rolled-back change gives its number
 * back. The one writer of the `counters` table.
 */
import { prepared } from './prepared';
import type { Tx } from './schema';

const NEXT = prepared((db, p: { scope: string; name: string }) =>
  db
    .insertInto('counters')
    .values({ scope: p.scope, name: p.name, value: 1 })
    .onConflict((oc) =>
      oc.columns(['scope', 'name']).doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })),
    )
    .returning('value'),
);

export async function nextNumber(tx: Tx, scope: string, name: string): Promise<number> {
  const row = await NEXT.first(tx, { scope, name });
  if (!row) throw new Error(`invariant: the counter ${scope}/${name} returned no row`);
  return Number(row.value);
}
