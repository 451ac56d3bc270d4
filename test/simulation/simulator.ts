/**
 * The deterministic simulation of the payment core (TigerBeetle's habit): one seed drives random
 * checkouts through the real orchestrator and the real database code (SQLite in memory) against a
 * fake card provider (or the sandbox terminal over HTTP), on a virtual clock, with random faults —
 * declines, answers lost before or after the money moved, payments stuck in progress, a terminal
 * offline, answers sent later as notices, duplicated or out of order, stale and forged notices —
 * and the server "crashing" on either side of a provider call, then restarting. Impatient cashiers
 * get a manager to lift the no-second-charge lock; a manager works the review desk; now and then a
 * checkout ends in a provisional slip, paid later or closed by the manager. After each
 * seed the invariants must hold. Everything comes from the seed, so any failing seed replays exactly.
 */

import { readChain, verifyChain } from '../../src/audit';
import type { Actor, Ctx } from '../../src/context';
import { type Db, migrateToLatest, openDb, transaction } from '../../src/db';
import {
  closeSlip,
  decideManualConfirmation,
  issueSlip,
  recordManualConfirmation,
} from '../../src/exceptions';
import { giveCompensation, MAX_COMPENSATION_FEN, openComplaint } from '../../src/feedback';
import { type Clock, ManualClock, Refusal, seededRandom, ulidSource } from '../../src/kernel';
import { FINAL_STATUSES, type HintClaim } from '../../src/payments/attempt-model';
import { driveAttempt, type PaymentRuntime, recheckAttempt } from '../../src/payments/drive';
import { actOnNotice, hearNotice } from '../../src/payments/hints';
import { refundOwer, startCharge } from '../../src/payments/new-attempts';
import type {
  AttemptRef,
  ChargeRequest,
  PayAnswer,
  PaymentProvider,
  ProviderNotice,
  QueryAnswer,
  RefundRequest,
  ReverseAnswer,
  Tender,
} from '../../src/payments/provider';
import { AlipayProvider } from '../../src/payments/providers/alipay';
import { CardTerminalProvider } from '../../src/payments/providers/card-terminal';
import { FakeProvider } from '../../src/payments/providers/fake';
import { WechatPayProvider } from '../../src/payments/providers/wechat-pay';
import { checkReview, decideReview, type ReviewCheck } from '../../src/payments/review';
import { attemptsOfSale, dueAttempts } from '../../src/payments/store';
import { recordReturn } from '../../src/returns';
import { addLine, openSale, parkSale, payCash, releaseCharge, voidSale } from '../../src/sales';
import { AlipayEmulator, type AlipayFault, sandboxAlipayKeys } from '../../src/sandbox/alipay';
import { CardTerminalEmulator } from '../../src/sandbox/card-terminal';
import { type WechatFault, WechatPayEmulator } from '../../src/sandbox/wechat-pay';
import type { GuardedAction } from '../../src/staff/model';
import { newStaffRow } from '../../src/staff/store';
import { wireRooms } from '../../src/start';
import { checkLedger } from '../../src/stock';
import { DEFAULT_TERMS, termColumns } from '../../src/stores';
import { noticeInbox } from '../support/notice-inbox';

/** A small deterministic PRNG (mulberry32) for the simulation's own choices. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

class SimulatedCrash extends Error {}

/**
 * The provider behind a "process" that may die at either side of a provider call: before the
 * request leaves (we recorded `sent`, the provider never heard of it), or after the provider acted
 * and before we heard (the money moved, or not, and our side never records the answer).
 */
class CrashingProvider implements PaymentProvider {
  readonly tender: Tender;
  crashNext: 'before' | 'after' | null = null;
  constructor(readonly inner: PaymentProvider) {
    this.tender = inner.tender;
  }
  private async maybeCrash<T>(call: () => Promise<T>): Promise<T> {
    const when = this.crashNext;
    this.crashNext = null;
    if (when === 'before') throw new SimulatedCrash('the server died before the request left');
    const value = await call();
    if (when === 'after') throw new SimulatedCrash('the server died before recording the answer');
    return value;
  }
  health(tillId: string) {
    return this.inner.health(tillId);
  }
  pay(request: ChargeRequest): Promise<PayAnswer> {
    return this.maybeCrash(() => this.inner.pay(request));
  }
  query(ref: AttemptRef): Promise<QueryAnswer> {
    return this.maybeCrash(() => this.inner.query(ref));
  }
  reverse(ref: AttemptRef): Promise<ReverseAnswer> {
    return this.maybeCrash(() => this.inner.reverse(ref));
  }
  abort(ref: AttemptRef): Promise<void> {
    return this.inner.abort(ref);
  }
  readNotice(body: unknown): ProviderNotice {
    return this.inner.readNotice?.(body) ?? { ok: false, problem: 'this provider sends no notices' };
  }
  refund(request: RefundRequest): Promise<PayAnswer> {
    return this.maybeCrash(() => this.inner.refund(request));
  }
}

const STORE = 'store_sim';
const TILL = 'till_sim';
/** A second till of the store, where another cashier may try to take up the sale. */
const TILL2 = 'till_sim_2';
const CASHIER = 'staff_sim';
const MANAGER = 'staff_sim_manager';
const BARCODES = ['6900000000017', '6900000000024', '6900000000031'];

/** The shared world: one in-memory database with one store, one till, one cashier, three items. */
export async function simulationDb(): Promise<Db> {
  // As start-up wires it: the completion hooks and the ports lower rooms call.
  wireRooms();
  const db = openDb({ dialect: 'sqlite', file: ':memory:' });
  await migrateToLatest(db);
  const at = '2026-01-01T00:00:00.000Z';
  const k = db.kysely;
  await k
    .insertInto('stores')
    .values({
      id: STORE,
      code: 'SIM',
      name_zh: '模拟店',
      name_en: 'Simulation',
      address_zh: '',
      address_en: '',
      phone: '',
      time_zone: 'Asia/Shanghai',
      currency: 'CNY',
      created_at: at,
      discount_limit_bp: 2000,
      ...termColumns(DEFAULT_TERMS),
    })
    .execute();
  await k
    .insertInto('tills')
    .values([
      { id: TILL, store_id: STORE, code: 'T1', name: 'Till', created_at: at },
      { id: TILL2, store_id: STORE, code: 'T2', name: 'Till 2', created_at: at },
    ])
    .execute();
  await k
    .insertInto('staff')
    .values([
      newStaffRow({
        id: CASHIER,
        store_id: STORE,
        code: 'SIM-C1',
        name: 'Sim',
        role: 'cashier',
        created_at: at,
      }),
      newStaffRow({
        id: MANAGER,
        store_id: STORE,
        code: 'SIM-M1',
        name: 'Sim manager',
        role: 'manager',
        created_at: at,
      }),
    ])
    .execute();
  await k
    .insertInto('products')
    .values({
      id: 'prd_sim',
      style_code: 'SIM-1',
      name_zh: '衬衫',
      name_en: 'Shirt',
      brand: 'B',
      category: 'C',
      season: 'S',
      created_at: at,
      updated_at: at,
    })
    .execute();
  for (const [i, barcode] of BARCODES.entries()) {
    const variant = `var_sim_${i}`;
    await k
      .insertInto('variants')
      .values({
        id: variant,
        product_id: 'prd_sim',
        sku: `SIM-1-${i}`,
        barcode,
        size: 'M',
        colour_zh: '白',
        colour_en: 'White',
        price_fen: [9_900, 25_000, 129_900][i]!,
        active: 1,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await k
      .insertInto('stock_movements')
      .values({
        id: `mov_sim_${i}`,
        store_id: STORE,
        variant_id: variant,
        kind: 'receive',
        seq: 1,
        qty_delta: 1_000_000,
        on_hand_after: 1_000_000,
        ref_type: null,
        ref_id: null,
        note: null,
        actor_id: 'system',
        at,
      })
      .execute();
    await k
      .insertInto('stock_levels')
      .values({ store_id: STORE, variant_id: variant, on_hand: 1_000_000, last_seq: 1, updated_at: at })
      .execute();
  }
  return db;
}

export type SimFault =
  | { kind: 'decline' }
  | { kind: 'lose_answer_after_money' }
  | { kind: 'lose_answer_before_money' }
  | { kind: 'in_progress'; queries: number }
  | { kind: 'offline'; requests: number }
  /** The answer is lost and comes later as a notice. */
  | { kind: 'answer_later' }
  /** The answer, and copies of it as notices. */
  | { kind: 'duplicate_answer' }
  /** The answer; then as notices the answer and a stale "in progress". */
  | { kind: 'out_of_order' };

/**
 * Where the money moves: the fake provider in memory, or the sandbox card terminal over HTTP on the
 * loopback through the real nexo adapter. Each keeps its own ledger, which the invariants read.
 */
export interface SimWorld {
  readonly name: WorldKind;
  /** What the customer pays with in this world. */
  readonly tender: Tender;
  provider: PaymentProvider;
  /** A fresh payment code for a wallet (the customer's phone); absent for cards. */
  paymentCode?(): string;
  script(fault: SimFault): void;
  /** What the provider holds for a payment, net of refunds from it. */
  held(merchantOrderNo: string): number;
  /** What a refund request gave back. */
  givenBack(merchantOrderNo: string): number;
  /** The notices the provider sent since the last call (the simulation delivers, repeats, reorders or drops them). */
  notices(): Promise<unknown[]>;
  /** A notice claiming anything about an order: stale, or forged by someone on the LAN (where the world can make one). */
  forge?(merchantOrderNo: string, claim: HintClaim): unknown;
  close(): Promise<void>;
}

export function fakeWorld(): SimWorld {
  const fake = new FakeProvider('card');
  const world: SimWorld = {
    name: 'fake',
    tender: 'card',
    provider: {
      tender: 'card',
      health: () => fake.health(),
      pay: (r) => fake.pay(r),
      query: (r) => fake.query(r),
      reverse: (r) => fake.reverse(r),
      abort: (r) => fake.abort(r),
      refund: (r) => fake.refund(r),
      readNotice: (b) => fake.readNotice(b),
    },
    script: (f) => {
      // The fake plays duplicates and stale copies through `forge`, at random, on every seed.
      if (f.kind === 'duplicate_answer' || f.kind === 'out_of_order') return;
      fake.script([
        f.kind === 'decline' ? { kind: 'decline', category: 'insufficient_funds', code: '51' } : f,
      ]);
    },
    held: (o) => fake.moneyMoved(o),
    givenBack: (o) => fake.moneyMoved(o),
    notices: async () => fake.takeNotices(),
    forge: (o, claim) => fake.noticeFor(o, claim),
    close: async () => undefined,
  };
  return world;
}

export async function terminalWorld(clock: { now(): Date }): Promise<SimWorld> {
  const terminal = new CardTerminalEmulator({ poiId: 'POI-SIM', clock });
  const url = await terminal.listen();
  // The terminal's notices land here; the simulation delivers them to the payment core itself.
  const inbox = await noticeInbox();
  terminal.notifyTo(inbox.url);
  const provider = new CardTerminalProvider(
    { url, poiId: 'POI-SIM', paymentTimeoutMs: 2_000, requestTimeoutMs: 2_000 },
    clock,
  );
  return {
    name: 'terminal',
    tender: 'card',
    provider,
    script: (f) =>
      terminal.script([
        f.kind === 'decline'
          ? { kind: 'decline', code: '51' }
          : f.kind === 'in_progress'
            ? { kind: 'in_progress', queries: f.queries, outcome: 'approve' }
            : f.kind === 'answer_later'
              ? { kind: 'answer_later', ms: 0 }
              : f.kind === 'duplicate_answer'
                ? { kind: 'duplicate_answer', copies: 2 }
                : f,
      ]),
    notices: async () => {
      await terminal.notificationsDelivered();
      return inbox.take();
    },
    held: (o) => terminal.moneyMoved(o),
    givenBack: (o) =>
      terminal
        .ledger()
        .filter((e) => e.kind === 'refund' && e.transactionId === o && e.status === 'approved')
        .reduce((sum, e) => sum + e.amountFen, 0),
    close: async () => {
      await terminal.close();
      await inbox.close();
    },
  };
}

export interface SeedResult {
  seed: number;
  violations: string[];
  checkouts: number;
  attempts: number;
  crashes: number;
  /** Notices delivered to the payment core (copies counted), and how many it took as hints. */
  notices: number;
  heard: number;
  /** Review decisions the manager took. */
  reviews: number;
  /** Provisional slips issued (then paid, cancelled or written off). */
  slips: number;
  /** Customers' proofs of payment recorded on a slip, then decided by the statement. */
  proofs: number;
  /** What the hurried cashier pressed, by kind (each checked against what the product must answer). */
  moves: Record<CashierMove, number>;
}

/** The hurried cashier's moves, played at any moment, while an attempt is live too. */
export const CASHIER_MOVES = [
  'newSaleWhileLive',
  'rescanWhileLive',
  'slipWhileLive',
  'parkWhileLive',
  'cashWhileLive',
  'voidWhileLive',
  'secondTillTakesUp',
  'managerRelease',
  'complaintRefund',
  'voidAfterRefund',
  /** 退货: one piece of a paid sale back, refunded to its own tenders (after a complaint too). */
  'returnPiece',
] as const;
export type CashierMove = (typeof CASHIER_MOVES)[number];
const noMoves = (): Record<CashierMove, number> =>
  Object.fromEntries(CASHIER_MOVES.map((m) => [m, 0])) as Record<CashierMove, number>;

/** The sandbox WeChat Pay over HTTP through the real adapter (signed XML). It sends no notices. */
export async function wechatWorld(clock: Clock, seed: number): Promise<SimWorld> {
  const apiKey = 'simsimsimsimsimsimsimsimsimsim01';
  const ids = { appId: 'wxsim', mchId: '1900000001' };
  const rnd = prng(seed ^ 0x5eed);
  const random = (n: number) => Uint8Array.from({ length: n }, () => rnd.int(256));
  const wechat = new WechatPayEmulator({ ...ids, apiKey, clock, random });
  const gateway = await wechat.listen();
  const provider = new WechatPayProvider(
    {
      gateway,
      ...ids,
      apiKey,
      signType: 'MD5',
      clientIp: '127.0.0.1',
      payTimeoutMs: 2_000,
      requestTimeoutMs: 2_000,
    },
    random,
  );
  let codes = 0;
  return {
    name: 'wechat',
    tender: 'wechat',
    provider,
    paymentCode: () => `13${String(seed % 1e8).padStart(8, '0')}${String(++codes).padStart(8, '0')}`,
    script: (f) => {
      const fault: WechatFault | null =
        f.kind === 'decline'
          ? { kind: 'decline', errCode: 'NOTENOUGH' }
          : f.kind === 'in_progress'
            ? { kind: 'user_paying', queries: f.queries }
            : f.kind === 'answer_later'
              ? { kind: 'system_error', moneyMoved: true }
              : f.kind === 'duplicate_answer' || f.kind === 'out_of_order'
                ? null
                : f;
      if (fault) wechat.script([fault]);
    },
    held: (o) => wechat.moneyMoved(o),
    givenBack: (o) => wechat.refunded(o),
    notices: async () => [],
    close: () => wechat.close(),
  };
}

/** The sandbox Alipay gateway through the official SDK (RSA2); its signed notifications are delivered too. */
export async function alipayWorld(clock: Clock, seed: number): Promise<SimWorld> {
  const keys = sandboxAlipayKeys();
  const alipay = new AlipayEmulator({ appId: '2021000000000009', keys, clock });
  await alipay.listen();
  const inbox = await noticeInbox();
  const provider = new AlipayProvider({
    gateway: alipay.gateway,
    appId: '2021000000000009',
    privateKey: keys.appPrivateKey,
    alipayPublicKey: keys.alipayPublicKey,
    timeoutMs: 2_000,
    notifyUrlFor: () => inbox.url,
  });
  let codes = 0;
  return {
    name: 'alipay',
    tender: 'alipay',
    provider,
    paymentCode: () => `28${String(seed % 1e8).padStart(8, '0')}${String(++codes).padStart(8, '0')}`,
    script: (f) => {
      const fault: AlipayFault | null =
        f.kind === 'decline'
          ? { kind: 'decline', subCode: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' }
          : f.kind === 'in_progress'
            ? { kind: 'wait_buyer', queries: f.queries }
            : f.kind === 'answer_later'
              ? { kind: 'lose_answer_after_money' }
              : f.kind === 'duplicate_answer'
                ? { kind: 'duplicate_notify', copies: 2 }
                : f.kind === 'out_of_order'
                  ? { kind: 'system_error', moneyMoved: true }
                  : f;
      if (fault) alipay.script([fault]);
    },
    held: (o) => alipay.moneyMoved(o),
    givenBack: (o) => alipay.refunded(o),
    notices: async () => {
      await alipay.notificationsDelivered();
      return inbox.take();
    },
    close: async () => {
      await alipay.close();
      await inbox.close();
    },
  };
}

export type WorldKind = 'fake' | 'terminal' | 'wechat' | 'alipay';
export const WORLD_KINDS: readonly WorldKind[] = ['fake', 'terminal', 'wechat', 'alipay'];

/**
 * The days a seed's clock may start on: each seed lives on its own day (so ids and sale numbers
 * never meet another seed's), the day cycling every 100 years, so any 32-bit seed keeps a
 * four-digit year (a five-digit one made sale numbers long enough to pass for card numbers).
 * Any run of fewer seeds than this gives each seed a day of its own.
 */
export const SEED_DAYS = 36_500;
const DAY_MS = 86_400_000;
export const seedDayStart = (seed: number): number =>
  Date.UTC(2026, 0, 1) + ((seed >>> 0) % SEED_DAYS) * DAY_MS;

/** Runs one seed: a few checkouts with random tenders and faults; returns what broke, if anything. */
export async function runSeed(db: Db, seed: number, kind: WorldKind = 'fake'): Promise<SeedResult> {
  const clock = new ManualClock(new Date(seedDayStart(seed)));
  const world =
    kind === 'fake'
      ? fakeWorld()
      : kind === 'terminal'
        ? await terminalWorld(clock)
        : kind === 'wechat'
          ? await wechatWorld(clock, seed)
          : await alipayWorld(clock, seed);
  try {
    return await runSeedIn(db, seed, clock, world);
  } catch (error) {
    // A refusal the simulation did not expect is the product saying no where it should not: a
    // violation to replay, never the end of the run.
    if (!(error instanceof Refusal)) throw error;
    return {
      ...emptyResult(seed),
      violations: [`unexpected refusal ${error.code}: ${error.message}`],
    };
  } finally {
    await world.close();
  }
}

const emptyResult = (seed: number): SeedResult => ({
  seed,
  violations: [],
  checkouts: 0,
  attempts: 0,
  crashes: 0,
  notices: 0,
  heard: 0,
  reviews: 0,
  slips: 0,
  proofs: 0,
  moves: noMoves(),
});

async function runSeedIn(db: Db, seed: number, clock: ManualClock, world: SimWorld): Promise<SeedResult> {
  const rnd = prng(seed);
  // Each seed lives on its own day (its clock starts there), so ids and sale numbers never meet another seed's.
  const actor: Actor = {
    staffId: CASHIER,
    name: 'Sim',
    role: 'cashier',
    storeId: STORE,
    surface: 'till',
    tillId: TILL,
    sessionId: 'sim',
  };
  const ctx: Ctx = { db, clock, ids: ulidSource(clock, seededRandom(seed)), actor };
  const card = new CrashingProvider(world.provider);
  const runtime: PaymentRuntime = { providerFor: (_till, tender) => (tender === world.tender ? card : null) };
  const violations: string[] = [];
  let attempts = 0;
  let crashes = 0;
  let notices = 0;
  let heard = 0;
  let slips = 0;
  let proofs = 0;
  let reviews = 0;
  const moves = noMoves();
  const checkouts = 1 + rnd.int(3);
  /** The same store's other till, signed in by another cashier. */
  const atTill2: Ctx = { ...ctx, actor: { ...actor, tillId: TILL2, sessionId: 'sim-2' } };

  /** One step of the "process"; a simulated crash aborts it, and the "restart" makes in-flight work due. */
  const survive = async (work: () => Promise<unknown>) => {
    const crash = rnd.next();
    card.crashNext = crash < 0.03 ? 'before' : crash < 0.09 ? 'after' : null;
    try {
      await work();
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error;
      crashes++;
      await db.kysely
        .updateTable('payment_attempts')
        .set({ next_check_at: clock.now().toISOString() })
        .where('status', 'in', ['created', 'in_flight'])
        .execute();
    }
  };
  const worker = {
    kick: (id: string) => survive(() => driveAttempt(ctx, runtime, id)),
    recheck: (id: string, why: string) => survive(() => recheckAttempt(ctx, runtime, id, why)),
  };

  /** One scheduler pass. */
  const tick = async () => {
    const due = await dueAttempts(db.kysely, clock.now().toISOString(), 10);
    for (const { id } of due) await worker.kick(id);
  };

  /**
   * Notices on their way to us: the provider's own (late answers, duplicates, stale copies) and, in
   * the fake world, stale or forged claims about this sale's attempts. Each may come now, later (so
   * out of order), twice, or never; each goes through the real hint handling.
   */
  let mail: unknown[] = [];
  const deliverNotices = async (saleId: string) => {
    const fresh = await world.notices();
    if (world.forge && rnd.chance(0.15)) {
      const rows = await attemptsOfSale(db.kysely, saleId);
      if (rows.length > 0) {
        const claims: readonly HintClaim[] = ['paid', 'failed', 'pending'];
        fresh.push(world.forge(rnd.pick(rows).merchant_order_no, rnd.pick(claims)));
      }
    }
    const queue = rnd.chance(0.5) ? [...fresh, ...mail] : [...mail, ...fresh];
    mail = [];
    for (const body of queue) {
      const fate = rnd.next();
      if (fate < 0.15) {
        mail.push(body); // later
        continue;
      }
      if (fate < 0.2) continue; // lost: notices are best effort
      for (let copy = 0; copy < (rnd.chance(0.2) ? 2 : 1); copy++) {
        notices++;
        try {
          await actOnNotice(
            worker,
            await hearNotice(ctx, runtime, { tillId: TILL, tender: world.tender, body }),
          );
          heard++;
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
        }
      }
    }
  };

  /** A manager's grant on file (the approval itself is proven elsewhere: access tests). */
  const grant = async (action: GuardedAction, saleId: string) => {
    const id = ctx.ids.next('apr');
    const at = clock.now().toISOString();
    await db.kysely
      .insertInto('approvals')
      .values({
        id,
        store_id: STORE,
        action,
        sale_id: saleId,
        reason: 'simulated',
        status: 'granted',
        requested_by: CASHIER,
        decided_by: MANAGER,
        decided_via: 'pin',
        created_at: at,
        decided_at: at,
        expires_at: new Date(clock.now().getTime() + 300_000).toISOString(),
        used_at: null,
      })
      .execute();
    return id;
  };
  const manager: Actor = {
    ...actor,
    staffId: MANAGER,
    name: 'Sim manager',
    role: 'manager',
    surface: 'backoffice',
    tillId: null,
  };

  /**
   * The manager works the review desk for a sale: asks the provider about each attempt under review
   * and takes one of the decisions that agree with its word (waiting while it has none), then lets
   * any refund run to its end. Bounded; what is left unsettled shows up in the invariants.
   */
  const workReviewDesk = async (saleId: string) => {
    for (let round = 0; round < 60; round++) {
      const open = (await attemptsOfSale(db.kysely, saleId)).filter(
        (a) => a.status === 'needs_review' || !FINAL_STATUSES.has(a.status as never),
      );
      if (open.length === 0) return;
      for (const a of open.filter((x) => x.status === 'needs_review')) {
        const seen: { check?: ReviewCheck } = {};
        await survive(async () => {
          seen.check = await checkReview(ctx, runtime, a.id, 'en');
        });
        // No clear word from the provider (or the "process" died asking): ask again later.
        if (!seen.check || seen.check.options.length === 0) continue;
        const decision = rnd.pick(seen.check.options);
        const provider = seen.check.provider;
        reviews++;
        const refunds: string[] = [];
        await transaction(db, 'full', (tx) =>
          decideReview(
            { ...ctx, actor: manager, db: { ...db, kysely: tx } },
            a.id,
            { decision, reason: 'simulated review', provider },
            refunds,
            'en',
          ),
        );
      }
      await tick();
      await deliverNotices(saleId);
      clock.advance(rnd.pick([1_000, 3_000, 10_000]));
    }
  };

  /** Runs a move the product must refuse; the refusal's code is returned, success is null. */
  const refusedWith = async (work: () => Promise<unknown>): Promise<string | null> => {
    try {
      await work();
      return null;
    } catch (error) {
      if (error instanceof Refusal) return error.code;
      throw error;
    }
  };
  const saleRow = (id: string) =>
    db.kysely
      .selectFrom('sales')
      .select(['status', 'total_fen', 'paid_fen', 'number', 'returned_fen'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  /**
   * The hurried cashier (or the next one, at the other till) presses something while the sale may
   * still be paid by its live attempt: each move must be refused, or be one of the ways out.
   * Returns true when the sale went on a slip.
   */
  const cashierMove = async (saleId: string): Promise<boolean> => {
    const before = await saleRow(saleId);
    if (before.status !== 'awaiting_payment') return false;
    const live = (await attemptsOfSale(db.kysely, saleId)).filter(
      (a) => a.kind === 'payment' && !FINAL_STATUSES.has(a.status as never),
    );
    const move = rnd.pick(
      CASHIER_MOVES.filter((m) => m !== 'complaintRefund' && m !== 'voidAfterRefund' && m !== 'returnPiece'),
    );
    moves[move]++;
    const expect = (what: string, got: string | null, codes: readonly string[]) => {
      if (got === null || !codes.includes(got))
        violations.push(`${what} on sale ${before.number} while its attempt was live: ${got ?? 'allowed'}`);
    };
    switch (move) {
      case 'newSaleWhileLive':
        // F9 and a scan: the till opens no other sale (the double charge came from here).
        expect(
          'a new sale',
          await refusedWith(() => openSale(ctx, { storeId: STORE, tillId: TILL, cashierId: CASHIER })),
          ['till_held'],
        );
        return false;
      case 'rescanWhileLive':
        expect(
          'a second charge',
          await refusedWith(() =>
            startCharge(ctx, runtime, {
              saleId,
              tender: world.tender,
              amountFen: Math.max(1, Number(before.total_fen) - Number(before.paid_fen)),
              ...(world.paymentCode ? { paymentCode: world.paymentCode() } : {}),
            }),
          ),
          ['payment_in_progress', 'terminal_busy'],
        );
        return false;
      case 'slipWhileLive': {
        const atTerminal = live.some((a) => a.status === 'created' || a.status === 'in_flight');
        const got = await refusedWith(() =>
          issueSlip(ctx, saleId, {
            reason: 'simulated: customer cannot wait',
            customerName: 'Sim',
            customerPhone: '13800000000',
            goods: rnd.chance(0.5) ? 'taken' : 'held',
          }),
        );
        if (atTerminal) expect('a slip with the card at the terminal', got, ['slip_attempt_at_terminal']);
        else if (got !== null)
          violations.push(`a slip for sale ${before.number} while the bank checks was refused: ${got}`);
        else slips++;
        return got === null;
      }
      case 'parkWhileLive':
        expect('parking', await refusedWith(() => parkSale(ctx, saleId, { note: null })), [
          'payment_in_progress',
        ]);
        return false;
      case 'cashWhileLive':
        expect(
          'cash',
          await refusedWith(() => payCash(ctx, saleId, Number(before.total_fen) - Number(before.paid_fen))),
          ['payment_in_progress'],
        );
        return false;
      case 'voidWhileLive':
        expect('a void', await refusedWith(() => voidSale(ctx, saleId, 'simulated')), [
          'payment_in_progress',
        ]);
        return false;
      case 'secondTillTakesUp':
        expect(
          'another till taking the money',
          await refusedWith(() =>
            payCash(atTill2, saleId, Number(before.total_fen) - Number(before.paid_fen)),
          ),
          ['payment_in_progress'],
        );
        return false;
      case 'managerRelease':
        // The way out the customer who cannot wait is offered: the manager lifts the lock, cash pays.
        await releaseCharge(ctx, saleId, await grant('second_charge_override', saleId));
        await payCash(ctx, saleId, Number(before.total_fen) - Number(before.paid_fen));
        return false;
    }
    return false;
  };

  /** Drives every refund of a sale (reissued ones too) to its end, bounded. */
  const settleRefunds = async (saleId: string) => {
    for (let step = 0; step < 400; step++) {
      await tick();
      await deliverNotices(saleId);
      const open = await db.kysely
        .selectFrom('payment_attempts')
        .select('id')
        .where('sale_id', '=', saleId)
        .where('kind', '=', 'refund')
        .where('status', 'in', ['created', 'in_flight', 'unknown'])
        .execute();
      if (open.length === 0) break;
      clock.advance(rnd.pick([0, 1_000, 3_000, 10_000]));
    }
    await workReviewDesk(saleId);
  };

  for (let c = 0; c < checkouts; c++) {
    const sale = await openSale(ctx, { storeId: STORE, tillId: TILL, cashierId: CASHIER });
    for (let i = 0; i < 1 + rnd.int(2); i++)
      await addLine(ctx, sale.id, { barcode: rnd.pick(BARCODES), qty: 1 + rnd.int(2) });
    // Up to four tries per checkout, bounded; cash always ends it.
    for (let tries = 0; tries < 4; tries++) {
      const now = await saleRow(sale.id);
      if (now.status !== 'open') break;
      const due = Number(now.total_fen) - Number(now.paid_fen);
      // Now and then the checkout cannot finish: a provisional slip, settled or closed later.
      if (tries > 0 && rnd.chance(0.12)) {
        const goods = rnd.chance(0.5) ? 'taken' : 'held';
        await issueSlip(ctx, sale.id, {
          reason: 'simulated',
          customerName: 'Sim',
          customerPhone: '13800000000',
          goods,
        });
        slips++;
        break;
      }
      if (tries === 3 || rnd.chance(0.2)) {
        await payCash(ctx, sale.id, due);
        break;
      }
      const fault = rnd.int(10);
      if (fault === 0) world.script({ kind: 'decline' });
      if (fault === 1) world.script({ kind: 'lose_answer_after_money' });
      if (fault === 2) world.script({ kind: 'lose_answer_before_money' });
      if (fault === 3) world.script({ kind: 'in_progress', queries: rnd.int(60) });
      if (fault === 4) world.script({ kind: 'offline', requests: 1 + rnd.int(3) });
      if (fault === 5) world.script({ kind: 'answer_later' });
      if (fault === 6) world.script({ kind: 'duplicate_answer' });
      if (fault === 7) world.script({ kind: 'out_of_order' });
      const amount = rnd.chance(0.2) && due > 1 ? 1 + rnd.int(due - 1) : due;
      await startCharge(ctx, runtime, {
        saleId: sale.id,
        tender: world.tender,
        amountFen: amount,
        ...(world.paymentCode ? { paymentCode: world.paymentCode() } : {}),
      });
      attempts++;
      // Before the terminal has even been asked: the cashier presses something at once.
      let slipped = rnd.chance(0.3) && (await cashierMove(sale.id));
      // Let time pass until the attempt settles: bounded by the deadline, the reversal tries, and a margin.
      for (let step = 0; step < 400; step++) {
        await tick();
        await deliverNotices(sale.id);
        if (!slipped && rnd.chance(0.04)) slipped = await cashierMove(sale.id);
        // An impatient cashier tries cash meanwhile: it must be refused while the card may still succeed.
        if (rnd.chance(0.05)) {
          const waiting = await saleRow(sale.id);
          if (waiting.status === 'awaiting_payment') {
            // Now and then the customer cannot wait: a manager lifts the lock and the customer pays cash.
            if (rnd.chance(0.3))
              await releaseCharge(ctx, sale.id, await grant('second_charge_override', sale.id));
            await payCash(ctx, sale.id, Number(waiting.total_fen) - Number(waiting.paid_fen)).catch(
              (error: unknown) => {
                if (!(error instanceof Refusal)) throw error;
              },
            );
          }
        }
        const open = await db.kysely
          .selectFrom('payment_attempts')
          .select('id')
          .where('sale_id', '=', sale.id)
          .where('status', 'in', ['created', 'in_flight', 'unknown', 'reversing'])
          .execute();
        if (open.length === 0) break;
        clock.advance(rnd.pick([0, 500, 1_000, 3_000, 10_000]));
      }
    }
    await workReviewDesk(sale.id);
    // A slip: the customer comes back and pays the rest in cash, or never does (then the manager
    // cancels or writes it off, if nothing was paid on it).
    const onAccount = await saleRow(sale.id);
    if (onAccount.status === 'on_account') {
      const kase = await db.kysely
        .selectFrom('follow_up_cases as c')
        .innerJoin('slips as s', 's.id', 'c.slip_id')
        .select(['c.id', 's.goods'])
        .where('s.sale_id', '=', sale.id)
        .executeTakeFirstOrThrow();
      const due = Number(onAccount.total_fen) - Number(onAccount.paid_fen);
      // Now and then the customer shows proof they paid: the manager records it, the sale takes
      // nothing (a till trying is refused) until the statement holds the money or does not.
      let settledByStatement = false;
      if (rnd.chance(0.3)) {
        const recorded = await recordManualConfirmation({ ...ctx, actor: manager }, kase.id, {
          tender: 'bank_transfer',
          amountFen: due,
          paidOn: '2026-11-23',
          reference: `SIM-${sale.number}`,
          evidence: 'simulated: bank app shown',
        }).catch((e: unknown) => {
          if (e instanceof Refusal && e.code === 'attempt_still_pending') return null;
          throw e;
        });
        if (recorded) {
          proofs++;
          const taken = await payCash(ctx, sale.id, due).then(
            () => 'taken',
            (e: unknown) => (e instanceof Refusal ? e.code : String(e)),
          );
          if (taken !== 'sale_awaiting_statement')
            violations.push(`sale ${sale.number} awaiting the statement took cash (${taken})`);
          const holds = rnd.chance(0.6);
          await decideManualConfirmation(
            ctx,
            recorded.confirmations[0]!.id,
            holds
              ? { holds: true, statementRef: `bank:SIM-${sale.number}` }
              : { holds: false, why: 'simulated' },
          );
          settledByStatement = holds;
        }
      }
      if (settledByStatement) {
        // Settled by the statement.
      } else if (Number(onAccount.paid_fen) === 0 && rnd.chance(0.4))
        await closeSlip({ ...ctx, actor: manager }, kase.id, {
          event: kase.goods === 'held' ? 'cancel' : 'write_off',
          reason: 'simulated: never came back',
        });
      else await payCash(ctx, sale.id, due);
    }
    // Sometimes the customer returns it at once: a manager voids the paid sale; card money goes back as refunds.
    const done = await saleRow(sale.id);
    // (Not one a transfer paid: that money goes back from the store's account, not a terminal.)
    const byTransfer = await db.kysely
      .selectFrom('payments')
      .select('id')
      .where('sale_id', '=', sale.id)
      .where('tender', '=', 'bank_transfer')
      .executeTakeFirst();
    // A complaint: the manager gives part (or all) of a card payment back — and perhaps the
    // customer then returns the goods too, so the void must give back only the rest.
    let complained = false;
    const paidBy = (await attemptsOfSale(db.kysely, sale.id)).filter(
      (a) => a.kind === 'payment' && a.status === 'succeeded',
    );
    if (done.status === 'completed' && !byTransfer && paidBy.length > 0 && rnd.chance(0.15)) {
      const paid = rnd.pick(paidBy);
      const complaint = await openComplaint({ ...ctx, actor: manager }, STORE, {
        customerName: 'Sim',
        saleNumber: done.number,
        description: 'simulated complaint',
      });
      const refunds: string[] = [];
      // Up to what the payment took, within what one compensation may be (the store's own cap).
      const valueFen = 1 + rnd.int(Math.min(Number(paid.amount_fen), MAX_COMPENSATION_FEN));
      const given = await refusedWith(() =>
        transaction(db, 'full', (tx) =>
          giveCompensation(
            { ...ctx, actor: manager, db: { ...db, kysely: tx } },
            complaint.id,
            { kind: 'refund', valueFen, detail: 'simulated' },
            refunds,
          ),
        ),
      );
      // Refused only when no payment has that much left (an earlier refund of it took part).
      if (given !== null && given !== 'compensation_refund_unavailable')
        violations.push(`compensation of ${valueFen} on sale ${sale.number} refused: ${given}`);
      moves.complaintRefund++;
      complained = true;
      await settleRefunds(sale.id);
    }
    // A piece brought back: refunded to the sale's own tenders, card or wallet first; never more
    // than a payment still holds after the complaint's refund (a refusal then is the store's word).
    if (done.status === 'completed' && !byTransfer && rnd.chance(0.2)) {
      const lines = await db.kysely
        .selectFrom('sale_lines')
        .select(['id'])
        .where('sale_id', '=', sale.id)
        .execute();
      const refunds: string[] = [];
      const got = await refusedWith(() =>
        transaction(db, 'full', (tx) =>
          recordReturn(
            { ...ctx, db: { ...db, kysely: tx } },
            sale.id,
            {
              lines: [{ lineId: rnd.pick(lines).id, qty: 1, disposition: 'restock' }],
              reason: 'does_not_fit',
              note: '',
              withReceipt: true,
            },
            refunds,
          ),
        ),
      );
      if (got !== null && got !== 'refund_exceeds_refundable')
        violations.push(`a return on sale ${sale.number} refused: ${got}`);
      if (got === null) {
        moves.returnPiece++;
        await settleRefunds(sale.id);
      }
    }
    const returned = (await saleRow(sale.id)).returned_fen > 0;
    if (done.status === 'completed' && !byTransfer && !returned && rnd.chance(complained ? 0.6 : 0.2)) {
      if (complained) moves.voidAfterRefund++;
      const approvalId = await grant('void_after_payment', sale.id);
      const refunds: string[] = [];
      await voidSale(ctx, sale.id, 'returned', approvalId, refundOwer(ctx, refunds));
      await settleRefunds(sale.id);
    }
  }

  // ---------------------------------------------------------------- invariants
  const sales = await db.kysely
    .selectFrom('sales')
    .selectAll()
    .where('opened_at', '>=', new Date(seedDayStart(seed)).toISOString())
    .where('opened_at', '<', new Date(seedDayStart(seed) + DAY_MS).toISOString())
    .execute();
  for (const sale of sales) {
    const rows = await attemptsOfSale(db.kysely, sale.id);
    const payments = await db.kysely
      .selectFrom('payments')
      .selectAll()
      .where('sale_id', '=', sale.id)
      .execute();
    let movedAtProvider = 0;
    for (const a of rows) {
      if (!FINAL_STATUSES.has(a.status as never) && a.status !== 'needs_review')
        violations.push(`attempt ${a.id} left ${a.status}`);
      // The manager worked the review desk: anything still there was never settled.
      if (a.status === 'needs_review') violations.push(`attempt ${a.id} (${a.kind}) left under review`);
      if (a.kind === 'refund') {
        // A refund succeeded exactly when the provider gave that money back.
        const given = world.givenBack(a.merchant_order_no);
        if (
          (a.status === 'succeeded') !== (given === Number(a.amount_fen)) ||
          (a.status !== 'succeeded' && given !== 0)
        )
          violations.push(`refund ${a.id} is ${a.status} but the provider gave back ${given}`);
        continue;
      }
      // What the provider still holds for a payment, net of what was refunded from it.
      const net = world.held(a.merchant_order_no);
      const refunded = rows
        .filter((r) => r.kind === 'refund' && r.refund_of === a.id && r.status === 'succeeded')
        .reduce((sum, r) => sum + Number(r.amount_fen), 0);
      if (a.status !== 'needs_review') movedAtProvider += net;
      if (a.status === 'succeeded' && net + refunded !== Number(a.amount_fen))
        violations.push(
          `attempt ${a.id} succeeded but the provider moved ${net} + refunded ${refunded} of ${a.amount_fen}`,
        );
      if (net > 0 && a.status !== 'succeeded' && a.status !== 'needs_review')
        violations.push(`attempt ${a.id} is ${a.status} but the provider kept ${net}`);
    }
    // No refund exceeds what its payment still had: its refunds that gave (or may give) money back.
    for (const a of rows.filter((r) => r.kind === 'payment')) {
      const out = rows
        .filter((r) => r.kind === 'refund' && r.refund_of === a.id && r.status !== 'failed')
        .reduce((sum, r) => sum + Number(r.amount_fen), 0);
      if (out > Number(a.amount_fen)) violations.push(`payment ${a.id} of ${a.amount_fen} refunded ${out}`);
    }
    // The customer's money at the provider, net of reversals and refunds, is at most the basket
    // (nothing at all once voided), or the difference is an open item on the review desk.
    const customerPays = rows
      .filter((r) => r.kind === 'payment')
      .reduce((sum, r) => sum + world.held(r.merchant_order_no), 0);
    const basket = sale.status === 'voided' ? 0 : Number(sale.total_fen);
    if (customerPays > basket && !rows.some((r) => r.status === 'needs_review'))
      violations.push(
        `sale ${sale.number} (${sale.status}): the customer paid ${customerPays} for ${basket}`,
      );
    // Stock left the store once per item sold (nothing when voided, or for a slip still open).
    const lines = await db.kysely
      .selectFrom('sale_lines')
      .select(['qty'])
      .where('sale_id', '=', sale.id)
      .execute();
    const left = await db.kysely
      .selectFrom('stock_movements')
      .select(['qty_delta'])
      .where('ref_id', '=', sale.id)
      .where('kind', 'in', ['sale', 'return'])
      .execute();
    // A slip whose customer took the goods and never paid is written off: those goods left too.
    const writtenOff =
      sale.status === 'voided' &&
      (await db.kysely.selectFrom('slips').select('status').where('sale_id', '=', sale.id).executeTakeFirst())
        ?.status === 'written_off';
    const sold = sale.status === 'completed' || writtenOff ? lines.reduce((n, l) => n + Number(l.qty), 0) : 0;
    const out = -left.reduce((n, m) => n + Number(m.qty_delta), 0);
    if (sale.status !== 'on_account' && out !== sold)
      violations.push(`sale ${sale.number} (${sale.status}): ${out} items left the store, ${sold} sold`);
    const cardPaid = payments
      .filter((p) => p.tender === world.tender)
      .reduce((sum, p) => sum + Number(p.amount_fen), 0);
    if (cardPaid !== movedAtProvider)
      violations.push(
        `sale ${sale.number}: card payments recorded ${cardPaid}, provider moved ${movedAtProvider}`,
      );
    const paid = payments.reduce((sum, p) => sum + Number(p.amount_fen), 0);
    // What paid for the goods; a duplicate charge and its refund pass through beside it.
    // A complaint's compensation given back through the provider is the store's cost, not a return:
    // the sale stays paid for its goods.
    // (A refund the provider never processed goes out again under a new number: its reissues are
    // the same compensation.)
    const compensations = new Set(
      (
        await db.kysely
          .selectFrom('compensations')
          .select('refund_attempt_id')
          .where('refund_attempt_id', 'in', rows.length > 0 ? rows.map((r) => r.id) : [''])
          .execute()
      ).map((c) => c.refund_attempt_id),
    );
    // Each refund's reissue (a refund the provider never processed goes out again under a new
    // number), read once: a reissue belongs to what its first attempt belonged to.
    const reissues: [string, string][] = [];
    for (const r of rows.filter((x) => x.kind === 'refund')) {
      const created = await db.kysely
        .selectFrom('payment_attempt_events')
        .select('detail_json')
        .where('attempt_id', '=', r.id)
        .where('event', '=', 'created')
        .executeTakeFirst();
      const reissueOf = (JSON.parse(created?.detail_json ?? '{}') as { reissueOf?: string }).reissueOf;
      if (reissueOf) reissues.push([r.id, reissueOf]);
    }
    // Reissues come after what they reissue (ids sort in creation order), so one pass follows chains.
    const withReissues = (ids: Set<string | null>) => {
      for (const [id, of] of reissues) if (ids.has(of)) ids.add(id);
      return ids;
    };
    withReissues(compensations);
    // A return's refunds give back goods' money, as a void's do, but the sale stays paid for the
    // goods it sold (returned_fen says how much came back): they are counted beside it.
    const returnAttempts = new Set(
      (
        await db.kysely
          .selectFrom('return_refunds as p')
          .innerJoin('returns as r', 'r.id', 'p.return_id')
          .select('p.attempt_id')
          .where('r.sale_id', '=', sale.id)
          .execute()
      ).flatMap((p) => (p.attempt_id ? [p.attempt_id] : [])),
    );
    withReissues(returnAttempts);
    const byReturn = (p: (typeof payments)[number]) =>
      p.status === 'refunded' &&
      (p.attempt_id
        ? returnAttempts.has(p.attempt_id)
        : Number(sale.returned_fen) > 0 && p.tender === 'cash');
    const givenBack = payments.filter(byReturn).reduce((sum, p) => sum - Number(p.amount_fen), 0);
    if (givenBack > Number(sale.returned_fen))
      violations.push(`sale ${sale.number}: returns gave back ${givenBack} of ${sale.returned_fen} returned`);
    const ownPaid = payments
      .filter(
        (p) =>
          p.status === 'succeeded' ||
          (p.status === 'refunded' && !compensations.has(p.attempt_id) && !byReturn(p)),
      )
      .reduce((sum, p) => sum + Number(p.amount_fen), 0);
    const duplicates = payments
      .filter((p) => p.status === 'duplicate' || p.status === 'duplicate_refunded')
      .reduce((sum, p) => sum + Number(p.amount_fen), 0);
    if (duplicates !== 0)
      violations.push(`sale ${sale.number}: ${duplicates} charged twice and not given back`);
    if (ownPaid !== Number(sale.paid_fen) && sale.status !== 'voided')
      violations.push(`sale ${sale.number}: payments ${ownPaid} ≠ paid ${sale.paid_fen}`);
    if (sale.status === 'voided' && paid !== 0)
      violations.push(`sale ${sale.number} voided with ${paid} still paid`);
    if (sale.status === 'completed' && ownPaid !== Number(sale.total_fen))
      violations.push(`sale ${sale.number} completed with ${ownPaid} paid of ${sale.total_fen}`);
    const slip = await db.kysely
      .selectFrom('slips')
      .select(['status'])
      .where('sale_id', '=', sale.id)
      .executeTakeFirst();
    if (slip) {
      const fits =
        (sale.status === 'completed' && slip.status === 'settled') ||
        (sale.status === 'voided' && ['cancelled', 'written_off', 'settled'].includes(slip.status));
      if (!fits) violations.push(`sale ${sale.number} is ${sale.status} but its slip is ${slip.status}`);
    }
    if (sale.status === 'on_account') violations.push(`sale ${sale.number} left on account`);
    if (sale.status === 'awaiting_statement')
      violations.push(`sale ${sale.number} left awaiting the statement`);
    if (sale.status === 'awaiting_payment' && !rows.some((a) => a.status === 'needs_review'))
      violations.push(`sale ${sale.number} still waits with no attempt under review`);
  }
  return { seed, violations, checkouts, attempts, crashes, notices, heard, reviews, slips, proofs, moves };
}

/** After a batch: the ledger and the audit chain still agree with themselves. */
export async function checkWorld(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const ledger = await checkLedger(db.kysely);
  if (ledger.drift.length > 0) problems.push(`stock drift: ${JSON.stringify(ledger.drift.slice(0, 3))}`);
  const chain = verifyChain(await readChain(db.kysely, STORE));
  if (!chain.ok) problems.push(`audit chain broken at ${chain.brokenAt.seq}: ${chain.reason}`);
  return problems;
}
