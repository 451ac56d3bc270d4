import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAuditForSale } from '../audit';
import type { Ctx } from '../context';
import {
  answerMutation,
  freeText,
  idempotencyHeaders,
  idParam,
  limitQuery,
  problemFor,
  type RouteDeps,
  requestLang,
} from '../http';
import { MAX_AMOUNT_FEN } from '../kernel';
import { addLine, getSale, openSale, removeLine, setSaleDiscount, updateLine } from './cart';
import { payCash } from './cash';
import { MAX_LINE_QTY, SALE_STATUSES } from './model';
import { parkedSalesOf, parkSale, resumeSale } from './parking';
import { listSales } from './store';
import type { RefundOwer } from './takings';
import { tillHold } from './till-hold';
import { voidSale } from './void';

const fen = z.number().int().min(0).max(MAX_AMOUNT_FEN);
const discount = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('amount'), fen }),
    z.object({
      kind: z.literal('percent'),
      basisPoints: z.number().int().min(0).max(10_000).describe('10000 = 100 %'),
    }),
  ])
  .nullable();
// Quantities are range-checked by the service so the cashier gets the specific refusal.
const qty = z.number().int();
const saleParams = z.object({ saleId: idParam });

/**
 * Cart edits move no money and no stock: they commit without waiting for the disk (see
 * src/db/durability.ts); the payment's commit makes them durable with it.
 */
const CART_EDIT = { durability: 'relaxed' } as const;

/** How a void gives card money back: payments makes the refund attempts and drives them after the commit. */
export interface VoidRefunds {
  owerFor(ctx: Ctx, created: string[]): RefundOwer;
  kick(attemptId: string): void;
}

/** Absent `voidRefunds`: no card or wallet tenders, so a void has only cash to give back. */
export function saleRoutes(
  app: FastifyInstance,
  { ctx, voidRefunds }: RouteDeps & { voidRefunds?: VoidRefunds | undefined },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/stores/:storeId/sales',
    {
      schema: {
        tags: ['sales'],
        summary: 'Open a sale at a till',
        headers: idempotencyHeaders,
        params: z.object({ storeId: idParam }),
        body: z.object({ tillId: idParam, cashierId: idParam.optional() }),
      },
    },
    async (req, reply) =>
      answerMutation(
        ctx,
        req,
        reply,
        201,
        (c) =>
          openSale(c, {
            storeId: req.params.storeId,
            tillId: req.body.tillId,
            cashierId: req.body.cashierId ?? null,
          }),
        CART_EDIT,
      ),
  );

  api.get(
    '/api/stores/:storeId/sales',
    {
      schema: {
        tags: ['sales'],
        summary: 'Recent sales of a store, newest first',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ status: z.enum(SALE_STATUSES).optional(), limit: limitQuery }),
      },
    },
    async (req) => ({
      sales: await listSales(ctx.db.kysely, req.params.storeId, req.query.status ?? null, req.query.limit),
    }),
  );

  api.get(
    '/api/tills/:tillId/hold',
    {
      schema: {
        tags: ['sales'],
        summary:
          'Is this till held by a sale whose card or wallet charge may still succeed? The till asks before it starts anything new',
        params: z.object({ tillId: idParam }),
      },
    },
    async (req) => {
      const refusal = await tillHold(ctx, req.params.tillId);
      return {
        held: refusal
          ? problemFor(refusal.code, requestLang(req), refusal.detail, { ...refusal.extra })
          : null,
      };
    },
  );

  api.get(
    '/api/sales/:saleId',
    {
      schema: { tags: ['sales'], summary: 'A sale with its lines, totals and payments', params: saleParams },
    },
    async (req) => getSale(ctx, req.params.saleId),
  );

  api.post(
    '/api/sales/:saleId/lines',
    {
      schema: {
        tags: ['sales'],
        summary: 'Add an item by barcode (as scanned) or by variant id; a repeat scan adds to its line',
        headers: idempotencyHeaders,
        params: saleParams,
        body: z.union([
          z.object({ barcode: z.string().min(1).max(64), qty: qty.default(1) }),
          z.object({ variantId: idParam, qty: qty.default(1) }),
        ]),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => addLine(c, req.params.saleId, req.body), CART_EDIT),
  );

  api.patch(
    '/api/sales/:saleId/lines/:lineId',
    {
      schema: {
        tags: ['sales'],
        summary: `Change a line's quantity (1–${MAX_LINE_QTY}) or discount`,
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam, lineId: idParam }),
        body: z.object({
          qty: qty.optional(),
          discount: discount.optional(),
          approvalId: idParam.optional(),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(
        ctx,
        req,
        reply,
        200,
        (c) => updateLine(c, req.params.saleId, req.params.lineId, req.body),
        CART_EDIT,
      ),
  );

  api.delete(
    '/api/sales/:saleId/lines/:lineId',
    {
      schema: {
        tags: ['sales'],
        summary: 'Remove a line',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam, lineId: idParam }),
        // Only when the removal would push the discount over the limit: the grant for it.
        body: z.object({ approvalId: idParam.optional() }).nullish(),
      },
    },
    async (req, reply) =>
      answerMutation(
        ctx,
        req,
        reply,
        200,
        (c) => removeLine(c, req.params.saleId, req.params.lineId, req.body?.approvalId ?? null),
        CART_EDIT,
      ),
  );

  api.put(
    '/api/sales/:saleId/discount',
    {
      schema: {
        tags: ['sales'],
        summary: 'Set or clear the sale discount (shared over the lines in proportion)',
        headers: idempotencyHeaders,
        params: saleParams,
        body: z.object({ discount, approvalId: idParam.optional() }),
      },
    },
    async (req, reply) =>
      answerMutation(
        ctx,
        req,
        reply,
        200,
        (c) => setSaleDiscount(c, req.params.saleId, req.body.discount, req.body.approvalId ?? null),
        CART_EDIT,
      ),
  );

  api.post(
    '/api/sales/:saleId/void',
    {
      schema: {
        tags: ['sales'],
        summary:
          'Void a sale: before payment at the cashier’s word; after payment with a manager’s approval (cash back, goods back in stock)',
        headers: idempotencyHeaders,
        params: saleParams,
        body: z.object({ reason: freeText(200), approvalId: idParam.optional() }),
      },
    },
    async (req, reply) => {
      // Card money goes back as refund attempts, driven once the void has committed.
      const refunds: string[] = [];
      const answered = await answerMutation(ctx, req, reply, 200, (c) =>
        voidSale(
          c,
          req.params.saleId,
          req.body.reason,
          req.body.approvalId ?? null,
          voidRefunds ? voidRefunds.owerFor(c, refunds) : null,
        ),
      );
      for (const id of refunds) voidRefunds?.kick(id);
      return answered;
    },
  );

  api.post(
    '/api/sales/:saleId/payments/cash',
    {
      schema: {
        tags: ['sales'],
        summary:
          'Pay in cash: the amount due (completes the sale and moves the stock), or `amountFen` of it as the first part of a split; change of ¥100 or more needs a supervisor’s grant (large_change)',
        headers: idempotencyHeaders,
        params: saleParams,
        body: z.object({
          tenderedFen: z.number().int().describe('cash handed over, in fen'),
          amountFen: z
            .number()
            .int()
            .optional()
            .describe('the part of what is due paid in cash; all of it when absent'),
          approvalId: idParam.optional(),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) =>
        payCash(c, req.params.saleId, req.body.tenderedFen, {
          amountFen: req.body.amountFen,
          approvalId: req.body.approvalId ?? null,
        }),
      ),
  );

  api.get(
    '/api/sales/:saleId/audit',
    { schema: { tags: ['sales'], summary: 'The audit events of a sale', params: saleParams } },
    async (req) => ({
      events: await listAuditForSale(ctx.db.kysely, req.params.saleId),
    }),
  );

  api.post(
    '/api/sales/:saleId/park',
    {
      schema: {
        tags: ['sales'],
        summary:
          '挂单: set the sale aside to serve the next customer; its goods are reserved until it is resumed or its hold ends',
        headers: idempotencyHeaders,
        params: saleParams,
        body: z.object({ note: freeText(200).optional() }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) =>
        parkSale(c, req.params.saleId, { note: req.body.note ?? null }),
      ),
  );

  api.post(
    '/api/sales/:saleId/resume',
    {
      schema: {
        tags: ['sales'],
        summary: 'Take a parked sale up again at this till (any till of its store); its goods are released',
        headers: idempotencyHeaders,
        params: saleParams,
      },
    },
    async (req, reply) => answerMutation(ctx, req, reply, 200, (c) => resumeSale(c, req.params.saleId)),
  );

  api.get(
    '/api/stores/:storeId/parked-sales',
    {
      schema: {
        tags: ['sales'],
        summary: 'The store’s parked sales, oldest first, with when each one’s hold ends',
        params: z.object({ storeId: idParam }),
      },
    },
    async (req) => ({ parked: await parkedSalesOf(ctx, req.params.storeId) }),
  );
}
