/**
 * Reading a large statement on its own thread (read-file.ts starts it): the file is decoded,
 * parsed and paired on sight here (pairing.ts, with the attempts the importer reads for it, a
 * piece at a time) while the importer, on the main thread, writes what was read so far — on two
 * cores the parse and the pairing cost the import nothing but the wait for the first day's
 * attempts, and the thread parses on through that wait. Lines go over in the batches the parser
 * drains them in, at most a few batches ahead of the importer (a million lines are never queued
 * whole).
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { LinePairing, type PairingResult } from './pairing';
import { readAsWire, readStatementBytes, readStatementFile, StatementFileError } from './read-file';
import type { LineError, StatementProvider, WireLines } from './statement';

/** What the thread is given. */
export interface ReadJob {
  provider: StatementProvider;
  file?: string;
  bytes?: Uint8Array;
}

/** What it sends: a batch of lines, a day whose attempts it needs, the end, or why it could not read the file at all. */
export type ReadMessage =
  | { type: 'lines'; wire: WireLines }
  | { type: 'attempts'; day: string }
  | { type: 'done'; errors: LineError[]; dataLines: number; threadMs: number; pairing: PairingResult }
  | { type: 'not_a_file'; message: string }
  | { type: 'failed'; message: string };

/**
 * What the importer answers: a batch written, or a piece of a day's attempts and their end (the
 * days around the file's first day come before the thread asks for them).
 */
export type ReadReply =
  | { type: 'written' }
  | { type: 'attempts'; day: string; packed: string | null }
  | { type: 'attempts_end'; day: string };

/** Batches sent and not yet written by the importer, at most. */
export const BATCHES_AHEAD = 4;
/** Batches parsed and not yet paired and sent, at most (the parse goes on while attempts are read). */
export const PARSED_AHEAD = 16;

const port = parentPort!;
const job = workerData as ReadJob;
const send = (message: ReadMessage) => port.postMessage(message);

/** Resolves the next time a reply comes (every wait here is for one). */
let wake: (() => void) | null = null;
const nextReply = () => new Promise<void>((resolve) => (wake = resolve));
let ahead = 0;
/** Each day's pieces of attempts as they came, and whether they all have. */
const attemptDays = new Map<string, { pieces: (string | null)[]; ended: boolean }>();
const attemptsOf = (day: string) => {
  let got = attemptDays.get(day);
  if (!got) {
    got = { pieces: [], ended: false };
    attemptDays.set(day, got);
  }
  return got;
};
port.on('message', (m: ReadReply) => {
  if (m.type === 'written') ahead--;
  else if (m.type === 'attempts') attemptsOf(m.day).pieces.push(m.packed);
  else attemptsOf(m.day).ended = true;
  const w = wake;
  wake = null;
  w?.();
});

/**
 * The importer reads a day's attempts for the pairing (or has begun to, unasked) and hands them
 * over a piece at a time.
 */
async function* askAttempts(attemptDay: string): AsyncGenerator<string | null> {
  send({ type: 'attempts', day: attemptDay });
  const got = attemptsOf(attemptDay);
  for (;;) {
    while (got.pieces.length > 0) yield got.pieces.shift()!;
    if (got.ended) {
      attemptDays.delete(attemptDay);
      return;
    }
    await nextReply();
  }
}

const pairing = new LinePairing(askAttempts);
// Batches are paired and sent one after another, in the order they were parsed; the parser runs
// ahead of them by at most PARSED_AHEAD.
let sending = Promise.resolve();
let queued = 0;
let failure: { error: unknown } | null = null;
let parserWake: (() => void) | null = null;
const pairAndSend = async (wire: WireLines) => {
  await pairing.pair(wire);
  send({ type: 'lines', wire });
  ahead++;
  while (ahead >= BATCHES_AHEAD) await nextReply();
};
const take = async (wire: WireLines) => {
  if (failure) throw failure.error;
  queued++;
  sending = sending
    .then(() => (failure ? undefined : pairAndSend(wire)))
    .catch((error: unknown) => {
      failure ??= { error };
    })
    .finally(() => {
      queued--;
      const w = parserWake;
      parserWake = null;
      w?.();
    });
  while (queued >= PARSED_AHEAD) await new Promise<void>((resolve) => (parserWake = resolve));
};

try {
  const read = await readAsWire(
    (emit, drain) =>
      job.file
        ? readStatementFile(job.provider, job.file, emit, drain)
        : readStatementBytes(job.provider, Buffer.from(job.bytes!), emit, drain),
    take,
  );
  await sending;
  if (failure) throw (failure as { error: unknown }).error;
  // For the benchmark: the thread's own time is what its event loop did not spend idle.
  const threadMs = performance.eventLoopUtilization().active;
  send({ type: 'done', ...read, threadMs, pairing: pairing.finish() });
} catch (error: unknown) {
  send(
    error instanceof StatementFileError
      ? { type: 'not_a_file', message: error.message }
      : { type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) },
  );
}
