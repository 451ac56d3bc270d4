/**
 * The rooms of src/ and the order they stand in (docs/ARCHITECTURE.md, "Rooms and doors"). A room
 * imports only rooms below it, and only through their door (`index.ts`); the composition room at
 * the top wires the rest together. A new room must be placed here before it can be imported.
 */
export const ROOM_ORDER: readonly (readonly string[])[] = [
  // Pure vocabulary the server and the web till share (browser-safe: no Node.js imports).
  ['shared'],
  // Pure kernel: money, clock, ids, errors, state machines.
  ['kernel'],
  ['db'],
  ['context'],
  // What every capability's routes stand on: validation, idempotency, problem answers.
  ['http'],
  // Cross-cutting services every capability may use: the audit chain, the notifier's outbox.
  ['audit', 'notify'],
  ['stores'],
  ['staff'],
  ['access'],
  ['approvals'],
  ['stock'],
  ['catalog'],
  ['sales'],
  ['payments'],
  ['feedback'],
  ['receipts'],
  ['exceptions'],
  // Returns and exchanges: a past sale's lines back, its money back to its own tenders.
  ['returns'],
  // The sales journal: past sales found by what the customer brings, each owner answering for its rows.
  ['journal'],
  ['recon'],
  ['dayclose'],
  // The emulated providers: they speak payments' wire formats, and nothing imports them but start-up.
  ['sandbox'],
  // Composition: start-up, the HTTP server, the CLI, the payment runtime with its sandboxes.
  ['start'],
];

/** Rooms that are one file, not a folder (no door of their own: the file is its door). */
export const SINGLE_FILE_ROOMS: ReadonlySet<string> = new Set(['context', 'api-shapes']);

export const rankOf = (room: string): number => ROOM_ORDER.findIndex((rank) => rank.includes(room));

/** What the web till may import from src/: the API's shapes (types only) and the shared vocabulary. */
export const WEB_MAY_IMPORT = {
  typesOnly: 'src/api-shapes',
  values: ['src/shared', 'src/shared/index'],
} as const;

/** Files allowed over the size limit: schema history and the demo catalog's data. */
export const SIZE_EXEMPT = [/^src\/db\/migrations\//, /^src\/catalog\/demo-catalog\.ts$/];
export const MAX_LINES = 600;

/** Which room owns each table: it alone reads and writes it; others ask through its door. */
export const TABLE_OWNERS: Readonly<Record<string, string>> = {
  stores: 'stores',
  tills: 'stores',
  staff: 'staff',
  sign_in_throttles: 'staff',
  sessions: 'access',
  approvals: 'approvals',
  products: 'catalog',
  variants: 'catalog',
  stock_movements: 'stock',
  stock_levels: 'stock',
  sales: 'sales',
  sale_lines: 'sales',
  parked_sales: 'sales',
  payments: 'sales',
  slips: 'exceptions',
  follow_up_cases: 'exceptions',
  follow_up_events: 'exceptions',
  manual_confirmations: 'exceptions',
  notifications: 'notify',
  feedback: 'feedback',
  complaints: 'feedback',
  compensations: 'feedback',
  statement_batches: 'recon',
  statement_lines: 'recon',
  recon_cases: 'recon',
  day_closes: 'dayclose',
  payment_attempts: 'payments',
  payment_attempt_events: 'payments',
  receipt_prints: 'receipts',
  returns: 'returns',
  return_lines: 'returns',
  return_refunds: 'returns',
  // Numbering (sale, slip and complaint numbers): one sequence helper in db/sql.ts.
  counters: 'db',
  audit_events: 'audit',
  audit_heads: 'audit',
  idempotency_keys: 'http',
};
