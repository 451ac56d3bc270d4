import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, idempotencyHeaders, idParam } from '../http';
import { maskPans } from '../kernel';
import type { PaymentRouteDeps } from '../payments';
import { RETURN_DISPOSITIONS, RETURN_REASONS } from '../shared';
import { recordExchange } from './exchange';
import { recordReturn } from './record-return';
import { payFailedRefundInCash } from './refund-in-cash';
import { saleReturns } from './sale-returns';
import { returnView } from './store';

const saleParams = z.object({ saleId: idParam });
const returnBody = z.object({
  lines: z
    .array(
      z.object({
        lineId: idParam,
        qty: z.number().int().min(1).max(9_999),
        disposition: z.enum(RETURN_DISPOSITIONS).default('restock'),
      }),
    )
    .min(1)
    .max(200),
  reason: z.enum(RETURN_REASONS),
  // Free text never keeps a card number (masked as it is read).
  note: z.string().trim().max(200).overwrite(maskPans).default(''),
  withReceipt: z.boolean(),
  approvalId: idParam.nullable().optional(),
});

export function returnRoutes(app: FastifyInstance, deps: PaymentRouteDeps): void {
  const { ctx } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/sales/:saleId/returns',
    {
      schema: {
        tags: ['returns'],
        summary:
          'Return some lines of a paid sale (退货): the money back to its own tenders by each provider’s rules, the goods back in stock',
        headers: idempotencyHeaders,
        params: saleParams,
        body: returnBody,
      },
    },
    async (req, reply) => {
      const created: string[] = [];
      const answered = await answerMutation(ctx, req, reply, 201, async (c) =>
        returnView(c.db.kysely, (await recordReturn(c, req.params.saleId, req.body, created)).returnId),
      );
      // Refund attempts are sent after the commit: saved first, so a crash loses none.
      for (const id of created) void deps.payments?.scheduler.kick(id);
      return answered;
    },
  );

  api.post(
    '/api/sales/:saleId/exchanges',
    {
      schema: {
        tags: ['returns'],
        summary:
          'Exchange (换货): pieces back, others taken on a new sale paid by their value; the difference charged or refunded',
        headers: idempotencyHeaders,
        params: saleParams,
        body: returnBody.extend({
          takes: z
            .array(
              z.object({
                barcode: z.string().trim().min(1).max(64),
                qty: z.number().int().min(1).max(9_999),
              }),
            )
            .min(1)
            .max(200),
        }),
      },
    },
    async (req, reply) => {
      const created: string[] = [];
      const answered = await answerMutation(ctx, req, reply, 201, async (c) => {
        const done = await recordExchange(c, req.params.saleId, req.body, created);
        return { return: await returnView(c.db.kysely, done.returnId), sale: done.sale };
      });
      for (const id of created) void deps.payments?.scheduler.kick(id);
      return answered;
    },
  );

  api.post(
    '/api/sales/:saleId/returns/:returnId/cash-fallback',
    {
      schema: {
        tags: ['returns'],
        summary:
          'A return’s refund that failed at its provider, given in cash from the drawer with a manager’s approval',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam, returnId: idParam }),
        body: z.object({ refundId: idParam, approvalId: idParam.nullable().optional() }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, async (c) => {
        await payFailedRefundInCash(c, req.params.saleId, { returnId: req.params.returnId, ...req.body });
        return returnView(c.db.kysely, req.params.returnId);
      }),
  );

  api.get(
    '/api/sales/:saleId/returns',
    {
      schema: {
        tags: ['returns'],
        summary:
          'The returns of a sale, where each refund stands, what each line may still give back and until when',
        params: saleParams,
      },
    },
    async (req) => saleReturns(ctx, req.params.saleId),
  );
}
