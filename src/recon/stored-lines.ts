/** Statement lines as stored: written in batches as they are read, read back by day or key. */
import { BulkInsert, type StatementLinesTable, type Tx } from '../db';
import {
  dayKeyRange,
  fromWire,
  type StatementLine,
  type StatementProvider,
  WIRE_AT,
  WIRE_COLUMNS,
  WIRE_WIDTH,
  type WireLines,
} from './statement';
import { CHUNK, type ImportPhase, ROWS_PER_INSERT } from './statement-import';

const LINE_COLUMNS = [
  ...WIRE_COLUMNS,
  'provider',
  'batch_id',
] as const satisfies readonly (keyof StatementLinesTable)[];
// Provider and batch are the same for every line of a file: bound once a statement.
const INSERT_LINES = new BulkInsert<StatementLinesTable>('statement_lines', LINE_COLUMNS, 'key', [
  'provider',
  'batch_id',
]);
/**
 * The lines as the reader hands them, paired already: written with the attempt each pairs with,
 * a hundred rows a statement. The first line of each key that did not pair is kept for the full
 * matcher.
 */
export class LineWriter {
  readonly unpaired = new Map<string, StatementLine>();
  newLines = 0;

  constructor(
    private readonly tx: Tx,
    readonly provider: StatementProvider,
    private readonly batchId: string,
    private readonly timed: <T>(phase: ImportPhase, work: () => Promise<T>) => Promise<T>,
  ) {}

  async take(wire: WireLines): Promise<void> {
    for (let w = 0; w < wire.length; w += WIRE_WIDTH) {
      if (wire[w + WIRE_AT.attempt_id] !== null) continue;
      const key = wire[w + WIRE_AT.key] as string;
      if (!this.unpaired.has(key)) this.unpaired.set(key, fromWire(this.provider, wire, w));
    }
    const step = ROWS_PER_INSERT * WIRE_WIDTH;
    await this.timed('store_lines', async () => {
      for (let at = 0; at < wire.length; at += step)
        this.newLines += await INSERT_LINES.run(this.tx, wire.slice(at, at + step), {
          provider: this.provider,
          batch_id: this.batchId,
        });
    });
  }
}

/** Every stored line of the provider's days, by their key ranges. */
export async function linesOfDays(tx: Tx, provider: StatementProvider, days: readonly string[]) {
  const rows: StatementLinesTable[] = [];
  for (const day of days) {
    const { from, to } = dayKeyRange(provider, day);
    rows.push(
      ...(await tx
        .selectFrom('statement_lines')
        .selectAll()
        .where('key', '>=', from)
        .where('key', '<', to)
        .execute()),
    );
  }
  return rows;
}

export async function linesByKey(tx: Tx, keys: readonly string[]) {
  const rows: StatementLinesTable[] = [];
  for (let i = 0; i < keys.length; i += CHUNK)
    rows.push(
      ...(await tx
        .selectFrom('statement_lines')
        .selectAll()
        .where('key', 'in', keys.slice(i, i + CHUNK))
        .execute()),
    );
  return rows;
}

export function lineOf(r: StatementLinesTable): StatementLine {
  return {
    provider: r.provider,
    line: r.line_no,
    key: r.key,
    kind: r.kind,
    merchantOrderNo: r.merchant_order_no,
    providerRef: r.provider_ref,
    refundNo: r.refund_no,
    amountFen: Number(r.amount_fen),
    feeMilliFen: Number(r.fee_millifen),
    at: r.at,
    terminalId: r.terminal_id,
  };
}
