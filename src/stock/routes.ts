import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorIdOf } from '../context';
import { freeText, idempotencyHeaders, idParam, limitQuery, type RouteDeps, runMutation } from '../http';
import { MAX_MOVEMENT_QTY } from './model';
import { recordMovement } from './service';
import { checkLedger, listMovements } from './store';

const qty = z.number().int().min(-MAX_MOVEMENT_QTY).max(MAX_MOVEMENT_QTY);

export function stockRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/stores/:storeId/stock/:variantId/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'The ledger of one item in one store, newest first',
        params: z.object({ storeId: idParam, variantId: idParam }),
        querystring: z.object({ limit: limitQuery }),
      },
    },
    async (req) => ({
      movements: await listMovements(
        ctx.db.kysely,
        req.params.storeId,
        req.params.variantId,
        req.query.limit,
      ),
    }),
  );

  api.post(
    '/api/stores/:storeId/stock/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'Receive, return to stock, adjust or count an item',
        headers: idempotencyHeaders,
        params: z.object({ storeId: idParam }),
        body: z.discriminatedUnion('kind', [
          z.object({
            kind: z.enum(['receive', 'return']),
            variantId: idParam,
            qty,
            note: freeText(200).optional(),
          }),
          z.object({
            kind: z.literal('adjust'),
            variantId: idParam,
            delta: qty,
            note: freeText(200).optional(),
          }),
          z.object({
            kind: z.literal('count'),
            variantId: idParam,
            counted: qty,
            note: freeText(200).optional(),
          }),
        ]),
      },
    },
    async (req, reply) =>
      runMutation(ctx, req, reply, async (c) => {
        const b = req.body;
        const request =
          b.kind === 'adjust'
            ? { kind: b.kind, delta: b.delta }
            : b.kind === 'count'
              ? { kind: b.kind, counted: b.counted }
              : { kind: b.kind, qty: b.qty };
        const result = await recordMovement(c, {
          storeId: req.params.storeId,
          variantId: b.variantId,
          request,
          note: b.note ?? null,
          actorId: actorIdOf(c, 'backoffice'),
        });
        return { statusCode: 201, body: result };
      }),
  );

  api.get(
    '/api/stock/check',
    { schema: { tags: ['stock'], summary: 'Verify that on-hand figures agree with the stock ledger' } },
    async () => {
      const result = await checkLedger(ctx.db.kysely);
      return { ok: result.drift.length === 0, ...result };
    },
  );
}
