import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './connection';
import * as foundation from './migrations/0001-foundation';
import * as staffByRole from './migrations/0002-staff-by-role';
import * as signIn from './migrations/0003-sign-in';
import * as paymentAttempts from './migrations/0004-payment-attempts';
import * as refundAttempts from './migrations/0005-refund-attempts';
import * as walletPaymentCodes from './migrations/0006-wallet-payment-codes';
import * as stockReservations from './migrations/0007-stock-reservations';
import * as parkedSales from './migrations/0008-parked-sales';
import * as provisionalSlips from './migrations/0009-provisional-slips';
import * as followUpDesk from './migrations/0010-follow-up-desk';
import * as reconciliation from './migrations/0011-reconciliation';
import * as dayClose from './migrations/0012-day-close';
import * as reconIndexes from './migrations/0013-recon-indexes';
import * as reconLinesByDay from './migrations/0014-recon-lines-by-day';
import * as exactFees from './migrations/0015-exact-fees';
import * as tillHold from './migrations/0016-till-hold';
import * as paymentCodesInMemory from './migrations/0017-payment-codes-in-memory';
import * as signInPerClient from './migrations/0018-sign-in-per-client';
import * as sandboxAttempts from './migrations/0019-sandbox-attempts';
import * as movementsByReference from './migrations/0020-movements-by-reference';
import * as salesJournal from './migrations/0021-sales-journal';
import * as returns from './migrations/0022-returns';
import * as storeReturnPolicy from './migrations/0023-store-return-policy';
import * as exchanges from './migrations/0024-exchanges';
import * as paymentTill from './migrations/0025-payment-till';
import * as refundFallbacks from './migrations/0026-refund-fallbacks';

/** Migrations are listed in code (not read from disk) so they run the same under tsx, tests and bundles. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
  '0002-staff-by-role': staffByRole,
  '0003-sign-in': signIn,
  '0004-payment-attempts': paymentAttempts,
  '0005-refund-attempts': refundAttempts,
  '0006-wallet-payment-codes': walletPaymentCodes,
  '0007-stock-reservations': stockReservations,
  '0008-parked-sales': parkedSales,
  '0009-provisional-slips': provisionalSlips,
  '0010-follow-up-desk': followUpDesk,
  '0011-reconciliation': reconciliation,
  '0012-day-close': dayClose,
  '0013-recon-indexes': reconIndexes,
  '0014-recon-lines-by-day': reconLinesByDay,
  '0015-exact-fees': exactFees,
  '0016-till-hold': tillHold,
  '0017-payment-codes-in-memory': paymentCodesInMemory,
  '0018-sign-in-per-client': signInPerClient,
  '0019-sandbox-attempts': sandboxAttempts,
  '0020-movements-by-reference': movementsByReference,
  '0021-sales-journal': salesJournal,
  '0022-returns': returns,
  '0023-store-return-policy': storeReturnPolicy,
  '0024-exchanges': exchanges,
  '0025-payment-till': paymentTill,
  '0026-refund-fallbacks': refundFallbacks,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its own tables across every schema unless told which: with several schemas in one
  // database (tests, or stores sharing a cluster) it would find another schema's and skip creating ours.
  const migrator = new Migrator({
    db: db.kysely,
    provider,
    ...(db.schema ? { migrationTableSchema: db.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
