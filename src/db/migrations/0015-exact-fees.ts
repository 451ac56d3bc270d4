import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * Statement fees as the providers state them: WeChat Pay prints a line's fee with five decimals
 * of a yuan (`3.02784`), which whole fen cannot hold. A fee is kept in thousandths of a fen
 * (1e-5 yuan), so the rate can be checked later against what was charged.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('statement_lines').renameColumn('fee_fen', 'fee_millifen').execute();
  await sql`update statement_lines set fee_millifen = fee_millifen * 1000`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types
export async function down(db: Kysely<any>): Promise<void> {
  // Back to whole fen: a fraction of a fen is rounded half away from zero (the old column had none).
  await sql`update statement_lines set fee_millifen = (case when fee_millifen < 0 then -((-fee_millifen + 500) / 1000) else (fee_millifen + 500) / 1000 end)`.execute(
    db,
  );
  await db.schema.alterTable('statement_lines').renameColumn('fee_millifen', 'fee_fen').execute();
}
