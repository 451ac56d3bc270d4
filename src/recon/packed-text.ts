/**
 * Between the values of a packedRows row (sql.ts), and between its rows. Apart from sql.ts so that
 * a reader of packed rows — the statement reader's thread among them — need not load the query
 * builder (Kysely took 0.4 s of that thread's start).
 */
export const PACKED_UNIT = '\u001f';
export const PACKED_ROW = '\u001e';
