import type { Kysely } from 'kysely';

/**
 * Each store's return policy (window, receipt, who approves a return without one and up to how
 * much, the reasons its tills offer) and its contracts' refund terms (the acquirer's window for a
 * card refund, Alipay's in months). Stores that existed get the defaults the receipts printed.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  const add = (name: string, type: 'integer' | 'bigint' | 'text', value: number | string | null) =>
    db.schema
      .alterTable('stores')
      .addColumn(name, type, (c) => (value === null ? c : c.notNull().defaultTo(value)))
      .execute();
  await add('return_window_days', 'integer', 7);
  await add('return_receipt_required', 'integer', 1);
  // Null: no return without the receipt at all.
  await add('return_no_receipt_role', 'text', null);
  await add('return_no_receipt_limit_fen', 'bigint', 50_000);
  await add('return_reasons', 'text', '["does_not_fit","quality","changed_mind","wrong_item","other"]');
  await add('card_refund_window_days', 'integer', 30);
  await add('alipay_refund_window_months', 'integer', 3);
  await db.updateTable('stores').set({ return_no_receipt_role: 'manager' }).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'alipay_refund_window_months',
    'card_refund_window_days',
    'return_reasons',
    'return_no_receipt_limit_fen',
    'return_no_receipt_role',
    'return_receipt_required',
    'return_window_days',
  ])
    await db.schema.alterTable('stores').dropColumn(name).execute();
}
