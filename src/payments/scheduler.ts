/**
 * Drives attempts whose time has come: queries on the schedule, reversals at the deadline, and on
 * start-up every attempt a previous process left unfinished (they are simply due). One driver per
 * attempt at a time; a failing step is logged and tried again at the next tick.
 */
import type { Ctx } from '../context';
import { driveAttempt, type PaymentRuntime, recheckAttempt } from './drive';
import { dueAttempts } from './store';

export class PaymentScheduler {
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: Ctx,
    private readonly runtime: PaymentRuntime,
    private readonly options: {
      intervalMs: number;
      batch: number;
      onError: (error: unknown, attemptId: string) => void;
    } = {
      intervalMs: 250,
      batch: 50,
      onError: (error, attemptId) => console.error(`payment attempt ${attemptId}: ${String(error)}`),
    },
  ) {}

  /**
   * On start-up: whatever a previous process left created or in flight has no driver any more —
   * make it due now rather than after its answer timeout.
   */
  async recover(): Promise<number> {
    const result = await this.ctx.db.kysely
      .updateTable('payment_attempts')
      .set({ next_check_at: this.ctx.clock.now().toISOString() })
      .where('status', 'in', ['created', 'in_flight'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Attempts to drive once more when the drive under way ends (a hint came while it ran). */
  private readonly again = new Set<string>();

  /**
   * Drives one attempt now, or joins the drive already under way. With `orAgain`, a drive under
   * way is followed by one more once it ends: news that came while a request was live (a hint)
   * is not lost when that request ends unclear.
   */
  kick(attemptId: string, options: { orAgain?: boolean } = {}): Promise<void> {
    if (options.orAgain && this.running.has(attemptId)) this.again.add(attemptId);
    return this.exclusive(attemptId, () => driveAttempt(this.ctx, this.runtime, attemptId));
  }

  /** Asks the provider about an attempt once more, whatever its state (or joins the drive under way). */
  recheck(attemptId: string, why: string): Promise<void> {
    return this.exclusive(attemptId, () => recheckAttempt(this.ctx, this.runtime, attemptId, why));
  }

  /** One piece of work per attempt at a time: a second caller joins the first's. */
  private exclusive(attemptId: string, work: () => Promise<unknown>): Promise<void> {
    const running = this.running.get(attemptId);
    if (running) return running;
    const drive = work()
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError(error, attemptId))
      .finally(() => {
        this.running.delete(attemptId);
        // Once more, bounded to one: a final attempt is left alone by the drive itself.
        if (this.again.delete(attemptId)) void this.kick(attemptId);
      });
    this.running.set(attemptId, drive);
    return drive;
  }

  /** One pass over what is due. */
  async tick(): Promise<void> {
    const due = await dueAttempts(this.ctx.db.kysely, this.ctx.clock.now().toISOString(), this.options.batch);
    await Promise.all(due.map((a) => this.kick(a.id)));
  }

  /** Resolves once no drive is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}
