/**
 * Every mutating endpoint honours an `Idempotency-Key` header (Stripe's model): the first answer
 * is stored — errors included — in the same transaction as the change, and a retry with the same
 * key and the same request gets that answer again without changing anything. The same key with a
 * different request is refused. A request that fails validation stores nothing.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context';
import { type Durability, isUniqueViolation, type Tx, transaction } from '../db';
import { Refusal } from '../kernel';
import { type Problem, problemFromError, sendProblem } from './problem';

/** Keys are kept at least this long; older ones are purged. */
export const IDEMPOTENCY_RETENTION_MS = 48 * 60 * 60 * 1000;

export interface MutationResult {
  statusCode: number;
  body: unknown;
}

function fingerprintOf(req: FastifyRequest): string {
  const body = Buffer.isBuffer(req.body) ? req.body.toString('base64') : JSON.stringify(req.body ?? null);
  return createHash('sha256').update(`${req.method} ${req.url}\n${body}`).digest('hex');
}

function keyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) throw new Refusal('idempotency_key_invalid');
  return key;
}

function replay(reply: FastifyReply, stored: { status_code: number; response_json: string }): FastifyReply {
  reply.header('idempotent-replayed', 'true');
  const body = JSON.parse(stored.response_json) as unknown;
  if (stored.status_code >= 400) return sendProblem(reply, body as Problem);
  return reply.code(stored.status_code).send(body);
}

/**
 * Runs a mutation in one transaction. With a key: a stored answer is replayed (or refused if the
 * request differs) before any work; otherwise the work runs and its answer is inserted with it, in
 * the same transaction. Two concurrent requests with one key both reach that insert; the second
 * fails on the key's uniqueness, its work is rolled back, and it replays the first one's answer.
 * (Work inside a mutation never calls out of the process, so doing it twice and rolling one back
 * has no effect outside the database.)
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
  const inTx = (extra: (tx: Tx, done: MutationResult) => Promise<void>) =>
    transaction(ctx.db, durability, async (tx) => {
      const done = await work({ ...ctx, db: { ...ctx.db, kysely: tx } });
      await extra(tx, done);
      return done;
    });
  if (key === null) {
    const result = await inTx(async () => undefined);
    return reply.code(result.statusCode).send(result.body);
  }
  const fingerprint = fingerprintOf(req);
  const db = ctx.db.kysely;
  const lookup = () =>
    db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status_code', 'response_json'])
      .where('key', '=', key)
      .executeTakeFirst();
  const check = (stored: { fingerprint: string; status_code: number; response_json: string }) => {
    if (stored.fingerprint !== fingerprint) throw new Refusal('idempotency_key_reused');
    return replay(reply, stored);
  };

  const earlier = await lookup();
  if (earlier) return check(earlier);

  const createdAt = ctx.clock.now().toISOString();
  try {
    let json = 'null';
    const result = await inTx(async (tx, done) => {
      json = JSON.stringify(done.body ?? null);
      await tx
        .insertInto('idempotency_keys')
        .values({
          key,
          fingerprint,
          status_code: done.statusCode,
          response_json: json,
          created_at: createdAt,
        })
        .execute();
    });
    // Serialised once, for the key; the same text goes to the client.
    return reply.code(result.statusCode).type('application/json; charset=utf-8').send(json);
  } catch (error) {
    if (isUniqueViolation(error)) {
      const winner = await lookup();
      if (winner) return check(winner);
    }
    if (!(error instanceof Refusal)) throw error;
    // The change was rolled back; the refusal itself is the first answer, kept for retries.
    const problem = problemFromError(error, req);
    await db
      .insertInto('idempotency_keys')
      .values({
        key,
        fingerprint,
        status_code: problem.status,
        response_json: JSON.stringify(problem),
        created_at: createdAt,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const stored = await lookup();
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
