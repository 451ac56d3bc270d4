import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, freeText, idempotencyHeaders, idParam, requestLang } from '../http';
import { MAX_AMOUNT_FEN, Refusal } from '../kernel';
import { releaseCharge } from '../sales';
import { attemptView } from './attempt-view';
import { cancelAttempt } from './drive';
import { actOnNotice, hearNotice, hintLogLine } from './hints';
import { startCharge } from './new-attempts';
import { walletOfCode } from './providers/wallet-codes';
import { checkReview, decideReview, reviewsOfStore } from './review';
import { REVIEW_DECISIONS } from './review-model';
import type { PaymentRouteDeps } from './route-deps';
import { attemptById, attemptsOfSale } from './store';
import { tillNotices } from './till-notices';

const attemptParams = z.object({ attemptId: idParam });

/** How often a till asks for its notices: a late payment or a settled slip may wait a few seconds. */
const NOTICES_EVERY_MS = 5_000;

export function paymentRoutes(app: FastifyInstance, { ctx, payments }: PaymentRouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const setup = () => {
    if (!payments) throw new Refusal('tender_unavailable');
    return payments;
  };
  /** Saves the attempt in the request's idempotent transaction (202); once committed, the provider is asked. */
  const charge = async (
    req: FastifyRequest,
    reply: FastifyReply,
    input: Parameters<typeof startCharge>[2],
  ) => {
    const { runtime, scheduler } = setup();
    let started: string | null = null;
    const answered = await answerMutation(ctx, req, reply, 202, async (c) => {
      const row = await startCharge(c, runtime, input);
      started = row.id;
      return attemptView(c.db.kysely, row, requestLang(req));
    });
    // (A replayed request finds its attempt already driven.)
    if (started) void scheduler.kick(started);
    return answered;
  };

  /** One tender's share of what is due: at least one fen, never past the money ceiling. */
  const tenderPart = z.number().int().min(1).max(MAX_AMOUNT_FEN);

  api.post(
    '/api/sales/:saleId/payments/card',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Charge a card at this till’s terminal: the attempt is saved (202) before anything is sent; follow it at /api/attempts/{id}',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam }),
        body: z.object({
          amountFen: tenderPart.describe('this card’s part of the amount due'),
        }),
      },
    },
    async (req, reply) =>
      charge(req, reply, { saleId: req.params.saleId, tender: 'card', amountFen: req.body.amountFen }),
  );

  api.post(
    '/api/sales/:saleId/payments/wallet',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Charge a QR wallet by the payment code scanned from the customer’s phone (Alipay or WeChat Pay, told by its digits): saved (202) before anything is sent',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam }),
        body: z.object({
          amountFen: tenderPart.describe('this wallet’s part of the amount due'),
          paymentCode: z
            .string()
            .trim()
            .min(1)
            .max(64)
            .describe('as the scanner typed it; used once, never stored after it is sent'),
        }),
      },
    },
    async (req, reply) => {
      const wallet = walletOfCode(req.body.paymentCode);
      if (!wallet) throw new Refusal('wallet_code_unknown');
      const { saleId } = req.params;
      return charge(req, reply, {
        saleId,
        tender: wallet,
        amountFen: req.body.amountFen,
        paymentCode: req.body.paymentCode,
      });
    },
  );

  api.get(
    '/api/attempts/:attemptId',
    {
      schema: {
        tags: ['payments'],
        summary: 'A payment attempt: its state, guidance and history',
        params: attemptParams,
      },
    },
    async (req) => {
      const row = await attemptById(ctx.db.kysely, req.params.attemptId);
      return attemptView(ctx.db.kysely, row, requestLang(req));
    },
  );

  api.get(
    '/api/tills/:tillId/notices',
    {
      schema: {
        tags: ['payments'],
        summary:
          'What this till is told about its own charges after it moved on: one on the review desk, a slip settled by a late payment',
        params: z.object({ tillId: idParam }),
      },
    },
    async (req) => ({
      notices: await tillNotices(ctx, req.params.tillId, requestLang(req)),
      checkAgainInMs: NOTICES_EVERY_MS,
    }),
  );

  api.get(
    '/api/sales/:saleId/attempts',
    {
      schema: {
        tags: ['payments'],
        summary: 'The payment attempts of a sale, oldest first',
        params: z.object({ saleId: idParam }),
      },
    },
    async (req) => ({
      attempts: await Promise.all(
        (await attemptsOfSale(ctx.db.kysely, req.params.saleId)).map((row) =>
          attemptView(ctx.db.kysely, row, requestLang(req)),
        ),
      ),
    }),
  );

  api.post(
    '/api/sales/:saleId/release',
    {
      schema: {
        tags: ['payments'],
        summary:
          'With a manager’s approval, let the sale take another tender while an earlier attempt is still unknown',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam }),
        body: z.object({ approvalId: idParam.optional() }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) =>
        releaseCharge(c, req.params.saleId, req.body.approvalId ?? null),
      ),
  );

  api.get(
    '/api/stores/:storeId/payment-reviews',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Attempts a manager must settle: money that may have moved where the sale does not expect it',
        params: z.object({ storeId: idParam }),
      },
    },
    async (req) => ({ reviews: await reviewsOfStore(ctx, req.params.storeId, requestLang(req)) }),
  );

  api.post(
    '/api/attempts/:attemptId/review/check',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Ask the provider now what became of an attempt under review (recorded in its history); answers the decisions open',
        params: attemptParams,
      },
    },
    // Safe to repeat by its nature: a question to the provider, and a line in the attempt's history.
    async (req) => checkReview(ctx, setup().runtime, req.params.attemptId, requestLang(req)),
  );

  api.post(
    '/api/attempts/:attemptId/review',
    {
      schema: {
        tags: ['payments'],
        summary:
          'A manager settles an attempt under review: confirm paid, refund through the same provider, or confirm nothing moved — judged against the provider’s word, asked again first',
        headers: idempotencyHeaders,
        params: attemptParams,
        body: z.object({ decision: z.enum(REVIEW_DECISIONS), reason: freeText(500) }),
      },
    },
    async (req, reply) => {
      const { runtime, scheduler } = setup();
      const lang = requestLang(req);
      // The provider is asked first, outside the decision's transaction (never across a network call).
      const { provider } = await checkReview(ctx, runtime, req.params.attemptId, lang);
      const created: string[] = [];
      const answered = await answerMutation(ctx, req, reply, 200, (c) =>
        decideReview(c, req.params.attemptId, { ...req.body, provider }, created, lang),
      );
      for (const id of created) void scheduler.kick(id);
      return answered;
    },
  );

  api.post(
    '/api/tills/:tillId/notifications/:tender',
    {
      schema: {
        tags: ['payments'],
        summary:
          'A provider’s unasked message for this till (a late, repeated or asynchronous answer): a hint that makes us ask the provider, never a payment by itself',
        params: z.object({ tillId: idParam, tender: z.enum(['card', 'alipay']) }),
        body: z.record(z.string(), z.unknown()),
      },
    },
    async (req, reply) => {
      const { runtime, scheduler } = setup();
      // Safe to repeat by its nature: a hint only records a history line and makes us ask.
      const heard = await hearNotice(ctx, runtime, {
        tillId: req.params.tillId,
        tender: req.params.tender,
        body: req.body,
      });
      // Answered before we ask: the terminal that sent it is the one we are about to ask.
      const line = hintLogLine(heard);
      if (line) console.warn(line);
      // (The scheduler logs a failing drive; the attempt stays due and is asked on the schedule.)
      void actOnNotice(scheduler, heard);
      return reply.code(202).send({ heard: true });
    },
  );

  api.post(
    '/api/attempts/:attemptId/cancel',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Cancel the live request at the terminal (that request only); the attempt then settles by itself',
        params: attemptParams,
      },
    },
    async (req, reply) => {
      const { runtime, scheduler } = setup();
      // Safe to repeat: an abort of a request no longer live changes nothing.
      await cancelAttempt(ctx, runtime, req.params.attemptId);
      void scheduler.kick(req.params.attemptId);
      return reply.code(202).send({ cancelRequested: true });
    },
  );
}
