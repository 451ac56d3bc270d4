/**
 * Every mutating endpoint honours an `Idempotency-Key` header (Stripe's model): the first answer
 * is stored — errors included — in the same transaction as the change, and a retry with the same
 * key and the same request gets that answer again without changing anything. The same key with a
 * different request is refused. A request that fails validation stores nothing.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Ctx, inTx } from '../context';
import {
  type Durability,
  type IdempotencyKeysTable,
  isUniqueViolation,
  prepared,
  rowOf,
  type Tx,
  transaction,
} from '../db';
import { isCardNumber, Refusal } from '../kernel';
import './request-actor';
import { type Problem, problemFromError, sendProblem } from './problem';

/** Keys are kept at least this long; older ones are purged. */
export const IDEMPOTENCY_RETENTION_MS = 48 * 60 * 60 * 1000;

export interface MutationResult {
  statusCode: number;
  body: unknown;
}

/**
 * Body fields that hold a secret: never part of a stored fingerprint (a hash of a PIN is guessable;
 * a wallet's payment code is good for one payment).
 */
const SECRET_FIELDS = new Set(['pin', 'password', 'secret', 'paymentCode']);
const redactSecrets = (key: string, value: unknown) => (SECRET_FIELDS.has(key) ? '[secret]' : value);

function fingerprintOf(req: FastifyRequest): string {
  const body = Buffer.isBuffer(req.body)
    ? req.body.toString('base64')
    : JSON.stringify(req.body ?? null, redactSecrets);
  return createHash('sha256').update(`${req.method} ${req.url}\n${body}`).digest('hex');
}

/**
 * Whose key it is: a till's (its outbox replays across a cashier switch), a back-office person's,
 * or — without a session — the caller's address. Another caller's same key is another key, so
 * nobody replays someone else's answer by guessing or copying theirs.
 */
function scopeOf(req: FastifyRequest): string {
  const actor = req.actor;
  if (actor?.tillId) return `till:${actor.tillId}`;
  if (actor) return `staff:${actor.staffId}`;
  return `public:${req.ip}`;
}

function keyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  // A key is stored: one that is a card number is refused rather than kept. (Only a whole key:
  // a UUID's digit groups can look like a grouped number by chance, and a till must never trip on that.)
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key) || isCardNumber(key))
    throw new Refusal('idempotency_key_invalid');
  // A key has no spaces: the space keeps scope and key apart.
  return `${scopeOf(req)} ${key}`;
}

function replay(reply: FastifyReply, stored: { status_code: number; response_json: string }): FastifyReply {
  reply.header('idempotent-replayed', 'true');
  const body = JSON.parse(stored.response_json) as unknown;
  if (stored.status_code >= 400) return sendProblem(reply, body as Problem);
  return reply.code(stored.status_code).send(body);
}

type StoredAnswer = { fingerprint: string; status_code: number; response_json: string };

const STORED_ANSWER = prepared((db, p: { key: string }) =>
  db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'status_code', 'response_json'])
    .where('key', '=', p.key),
);
const storedAnswer = (db: Tx, key: string): Promise<StoredAnswer | undefined> =>
  STORED_ANSWER.first(db, { key });

const ANSWER_COLUMNS = ['key', 'fingerprint', 'status_code', 'response_json', 'created_at'] as const;
// A work's answer: a second request with the key fails on uniqueness, rolls back, and replays.
const INSERT_ANSWER = prepared((db, p: IdempotencyKeysTable) =>
  db.insertInto('idempotency_keys').values(rowOf(p, ANSWER_COLUMNS)),
);
// A refusal's answer, stored after the rollback: a concurrent first answer wins.
const INSERT_ANSWER_IF_ABSENT = prepared((db, p: IdempotencyKeysTable) =>
  db
    .insertInto('idempotency_keys')
    .values(rowOf(p, ANSWER_COLUMNS))
    .onConflict((oc) => oc.column('key').doNothing()),
);

/**
 * Runs a mutation in one transaction. With a key, inside that transaction: a stored answer is
 * replayed (or refused if the request differs) before any work; otherwise the work runs and its
 * answer is inserted with it. Two concurrent requests with one key both reach that insert; the
 * second fails on the key's uniqueness, its work is rolled back, and it replays the first one's
 * answer. (Work inside a mutation never calls out of the process, so doing it twice and rolling
 * one back has no effect outside the database.)
 */
export async function runMutation(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  work: (ctx: Ctx) => Promise<MutationResult>,
  options: { durability?: Durability } = {},
): Promise<FastifyReply> {
  const durability = options.durability ?? 'full';
  const key = keyOf(req);
  const actor = req.actor ?? undefined;
  const workIn = (tx: Tx) => work({ ...inTx(ctx, tx), ...(actor ? { actor } : {}) });
  if (key === null) {
    const result = await transaction(ctx.db, durability, workIn);
    return reply.code(result.statusCode).send(result.body);
  }
  const fingerprint = fingerprintOf(req);
  const check = (stored: StoredAnswer) => {
    if (stored.fingerprint !== fingerprint) throw new Refusal('idempotency_key_reused');
    return replay(reply, stored);
  };
  const createdAt = ctx.clock.now().toISOString();
  try {
    const outcome = await transaction(ctx.db, durability, async (tx) => {
      const earlier = await storedAnswer(tx, key);
      if (earlier) return { kind: 'replay', stored: earlier } as const;
      const done = await workIn(tx);
      // Serialised once, for the key; the same text goes to the client.
      const json = JSON.stringify(done.body ?? null);
      await INSERT_ANSWER.run(tx, {
        key,
        fingerprint,
        status_code: done.statusCode,
        response_json: json,
        created_at: createdAt,
      });
      return { kind: 'done', statusCode: done.statusCode, json } as const;
    });
    if (outcome.kind === 'replay') return check(outcome.stored);
    return reply.code(outcome.statusCode).type('application/json; charset=utf-8').send(outcome.json);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await storedAnswer(ctx.db.kysely, key);
      if (winner) return check(winner);
    }
    if (!(error instanceof Refusal)) throw error;
    // The change was rolled back; the refusal itself is the first answer, kept for retries.
    const problem = problemFromError(error, req);
    const stored = await transaction(ctx.db, 'relaxed', async (tx) => {
      await INSERT_ANSWER_IF_ABSENT.run(tx, {
        key,
        fingerprint,
        status_code: problem.status,
        response_json: JSON.stringify(problem),
        created_at: createdAt,
      });
      return storedAnswer(tx, key);
    });
    return stored ? check(stored) : sendProblem(reply, problem);
  }
}

/** The common case: run one use case as a mutation and answer with its result and a status. */
export function answerMutation(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  useCase: (ctx: Ctx) => Promise<unknown>,
  options: { durability?: Durability } = {},
): Promise<FastifyReply> {
  return runMutation(ctx, req, reply, async (c) => ({ statusCode, body: await useCase(c) }), options);
}

export async function purgeIdempotencyKeys(ctx: Ctx): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - IDEMPOTENCY_RETENTION_MS).toISOString();
  const result = await ctx.db.kysely
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
