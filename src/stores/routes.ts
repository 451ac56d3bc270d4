import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, idempotencyHeaders, idParam, type RouteDeps } from '../http';
import { RETURN_REASONS, ROLES } from '../shared';
import { setReturnTerms } from './return-terms';
import { setDiscountLimit } from './service';
import { listStores } from './store';

export function storeRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/api/stores', { schema: { tags: ['stores'], summary: 'Stores and their tills' } }, async () => ({
      stores: await listStores(ctx.db.kysely),
    }));

  app.withTypeProvider<ZodTypeProvider>().put(
    '/api/stores/:storeId/discount-limit',
    {
      schema: {
        tags: ['stores'],
        summary: 'Set the discount a cashier may give without approval (basis points of the goods)',
        headers: idempotencyHeaders,
        params: z.object({ storeId: idParam }),
        body: z.object({ discountLimitBp: z.number().int().min(0).max(10_000).describe('2000 = 20 %') }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) =>
        setDiscountLimit(c, req.params.storeId, req.body.discountLimitBp),
      ),
  );

  app.withTypeProvider<ZodTypeProvider>().put(
    '/api/stores/:storeId/return-terms',
    {
      schema: {
        tags: ['stores'],
        summary:
          'Set the store’s return policy (window, receipt, returns without one, reasons) and its contracts’ refund windows',
        headers: idempotencyHeaders,
        params: z.object({ storeId: idParam }),
        body: z.object({
          policy: z.object({
            windowDays: z.number().int().min(0).max(365),
            receiptRequired: z.boolean(),
            noReceipt: z
              .object({ approverRole: z.enum(ROLES), cashLimitFen: z.number().int().min(0).max(100_000_000) })
              .nullable(),
            reasons: z.array(z.enum(RETURN_REASONS)).min(1).max(RETURN_REASONS.length),
          }),
          refunds: z.object({
            cardRefundWindowDays: z.number().int().min(0).max(365),
            alipayRefundWindowMonths: z.number().int().min(1).max(12),
          }),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => setReturnTerms(c, req.params.storeId, req.body)),
  );
}
