/**
 * Reading a large statement on its own thread (read-file.ts starts it): the file is decoded and
 * parsed here while the importer, on the main thread, writes what was read so far — on two cores
 * the parse costs the import nothing. Lines go over in the batches the parser drains them in, at
 * most a few batches ahead of the importer (a million lines are never queued whole).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readAsWire, readStatementBytes, readStatementFile, StatementFileError } from './read-file';
import type { LineError, StatementProvider, WireLines } from './statement';

/** What the thread is given. */
export interface ReadJob {
  provider: StatementProvider;
  file?: string;
  bytes?: Uint8Array;
}

/** What it sends back: a batch of lines, the end, or why it could not read the file at all. */
export type ReadMessage =
  | { type: 'lines'; wire: WireLines }
  | { type: 'done'; errors: LineError[]; dataLines: number; threadMs: number }
  | { type: 'not_a_file'; message: string }
  | { type: 'failed'; message: string };

/** Batches sent and not yet written by the importer, at most. */
export const BATCHES_AHEAD = 4;

const port = parentPort!;
const job = workerData as ReadJob;
let ahead = 0;
let wake: (() => void) | null = null;
port.on('message', (m: unknown) => {
  if (m !== 'written') return;
  ahead--;
  wake?.();
  wake = null;
});
const send = (message: ReadMessage) => port.postMessage(message);
let waitedMs = 0; // for the benchmark: the thread's own time is what it did not spend waiting
const take = async (wire: WireLines) => {
  send({ type: 'lines', wire });
  ahead++;
  const started = performance.now();
  while (ahead >= BATCHES_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
  waitedMs += performance.now() - started;
};
const started = performance.now();

try {
  const read = await readAsWire(
    (emit, drain) =>
      job.file
        ? readStatementFile(job.provider, job.file, emit, drain)
        : readStatementBytes(job.provider, Buffer.from(job.bytes!), emit, drain),
    take,
  );
  send({ type: 'done', ...read, threadMs: performance.now() - started - waitedMs });
} catch (error: unknown) {
  send(
    error instanceof StatementFileError
      ? { type: 'not_a_file', message: error.message }
      : { type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
  );
}
