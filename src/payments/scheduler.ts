/**
 * Drives attempts whose time has come: queries on the schedule, reversals at the deadline, and on
 * start-up every attempt a previous process left unfinished (they are simply due). One driver per
 * attempt at a time; a failing step is logged and tried again at the next tick.
 */
import type { Ctx } from '../context';
import { driveAttempt, type PaymentRuntime } from './service';
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

  /** Drives one attempt now (or joins the drive already under way). */
  kick(attemptId: string): Promise<void> {
    const running = this.running.get(attemptId);
    if (running) return running;
    const drive = driveAttempt(this.ctx, this.runtime, attemptId)
      .then(() => undefined)
      .catch((error: unknown) => this.options.onError(error, attemptId))
      .finally(() => this.running.delete(attemptId));
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
