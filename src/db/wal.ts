/**
 * The two disk chores of SQLite's write-ahead log, moved off the thread that answers requests.
 *
 * - Durability: the connection commits with synchronous=NORMAL (WAL frames written, no fsync).
 *   A commit that must survive a power cut is followed by `WalSync.sync()`: fdatasync of the WAL
 *   file on libuv's thread pool. Answered only after it, such a commit is as durable as with
 *   synchronous=FULL (which is exactly "fsync the WAL after the commit"), but the event loop goes
 *   on serving other requests while the disk works, and one sync covers every commit before it.
 * - Checkpoints: automatic checkpoints would run inside some request's commit. A worker thread
 *   with its own connection runs PASSIVE checkpoints instead (checkpointer.worker.mjs); if it
 *   cannot start, the connection falls back to SQLite's automatic checkpoints.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

export class WalSync {
  private handle: Promise<FileHandle> | undefined;

  constructor(private readonly databaseFile: string) {}

  /** fdatasync of the WAL file: every commit made before the call is on the disk when it resolves. */
  async sync(): Promise<void> {
    // Opened on first use: the WAL file exists once the first commit wrote to it, and SQLite keeps
    // the same file (truncating or rewinding it, never replacing it) while a connection is open.
    this.handle ??= open(`${this.databaseFile}-wal`, 'r');
    await (await this.handle).datasync();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }
}

export interface CheckpointResult {
  busy: number;
  logFrames: number;
  checkpointedFrames: number;
}

const CHECKPOINT_INTERVAL_MS = 250;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (result: CheckpointResult) => void>();
  private nextId = 1;
  private failed = false;
  private closing = false;

  constructor(
    file: string,
    private readonly connection: SqliteDatabase.Database,
    intervalMs = CHECKPOINT_INTERVAL_MS,
  ) {
    connection.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(new URL('./checkpointer.worker.mjs', import.meta.url), {
      workerData: { file, intervalMs },
    });
    this.worker.unref(); // never keeps a CLI command or a test alive
    this.worker.on(
      'message',
      (message: { type: string; id?: number; message?: string } & CheckpointResult) => {
        if (message.type === 'checkpointed' && message.id !== undefined) {
          this.waiting.get(message.id)?.(message);
          this.waiting.delete(message.id);
        } else if (message.type === 'error') {
          console.error(`tillsafe: background checkpoint failed: ${message.message ?? ''}`);
        }
      },
    );
    this.worker.on('error', (error) => this.fallBack(error));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fallBack(new Error(`exited with code ${code}`));
    });
  }

  /** Without the worker, SQLite checkpoints inside commits again, so the WAL never grows unbounded. */
  private fallBack(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    console.error(`tillsafe: checkpoint thread stopped (${String(error)}); checkpointing inline`);
    if (this.connection.open) this.connection.pragma('wal_autocheckpoint = 1000');
  }

  /** Runs a checkpoint now and reports it (tests, diagnostics). */
  checkpointNow(): Promise<CheckpointResult> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ type: 'checkpoint', id });
    });
  }

  async close(): Promise<void> {
    if (this.failed) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' });
    const timeout = setTimeout(() => void this.worker.terminate(), 5000);
    await exited;
    clearTimeout(timeout);
  }
}
