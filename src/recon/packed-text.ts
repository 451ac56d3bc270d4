/**
 * The separators of a packed rows text (tills-recorded.ts asks the database for a day's attempts as
 * one text): between the values of a row, and between rows. In a file of their own, so that the
 * statement reader's thread, which reads packed rows, need not load the query builder (Kysely took
 * 0.4 s of that thread's start).
 */
export const PACKED_UNIT = '\u001f';
export const PACKED_ROW = '\u001e';
