import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, freeText, idempotencyHeaders, idParam } from '../http';
import type { PaymentRouteDeps } from '../payments';
import { MAX_RATING, MIN_RATING } from './model';
import {
  complaintDetail,
  complaintsOfStore,
  decideComplaint,
  feedbackOfStore,
  giveCompensation,
  leaveFeedback,
  openComplaint,
} from './service';

const feedbackBody = z.object({
  rating: z.number().int().min(MIN_RATING).max(MAX_RATING),
  comment: z.string().trim().max(500).default(''),
});
const payToken = z
  .string()
  .min(10)
  .max(40)
  .regex(/^[A-Za-z0-9]+$/);
const complaintParams = z.object({ complaintId: idParam });

export function feedbackRoutes(app: FastifyInstance, deps: PaymentRouteDeps): void {
  const { ctx } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/feedback/receipt/:saleId',
    {
      schema: {
        tags: ['feedback'],
        summary: 'The customer rates a completed visit from the e-receipt (its QR code): once per sale',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam }),
        body: feedbackBody,
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, (c) => leaveFeedback(c, { saleId: req.params.saleId }, req.body)),
  );

  api.post(
    '/api/feedback/slip/:token',
    {
      schema: {
        tags: ['feedback'],
        summary: 'The customer rates the visit from the provisional slip’s page (its QR code): once per sale',
        headers: idempotencyHeaders,
        params: z.object({ token: payToken }),
        body: feedbackBody,
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, (c) => leaveFeedback(c, { payToken: req.params.token }, req.body)),
  );

  api.get(
    '/api/stores/:storeId/feedback',
    {
      schema: {
        tags: ['feedback'],
        summary: 'Customers’ ratings and comments, newest first (attention=true: 1–2 stars only)',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ attention: z.stringbool().optional() }),
      },
    },
    async (req) => ({
      feedback: await feedbackOfStore(ctx, req.params.storeId, { attention: req.query.attention ?? false }),
    }),
  );

  api.get(
    '/api/stores/:storeId/complaints',
    {
      schema: {
        tags: ['feedback'],
        summary: 'The store’s complaints, newest first, with what was given for each',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ status: z.enum(['open', 'resolved']).optional() }),
      },
    },
    async (req) => ({
      complaints: await complaintsOfStore(ctx, req.params.storeId, req.query.status ?? null),
    }),
  );

  api.post(
    '/api/stores/:storeId/complaints',
    {
      schema: {
        tags: ['feedback'],
        summary:
          'Open a complaint: from a customer’s feedback, or from a call or a visit (the sale by its number)',
        headers: idempotencyHeaders,
        params: z.object({ storeId: idParam }),
        body: z.object({
          customerName: freeText(40),
          customerPhone: z.string().trim().min(1).max(30).nullish(),
          saleNumber: z.string().trim().min(1).max(40).nullish(),
          feedbackId: idParam.nullish(),
          description: freeText(1000),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, (c) => openComplaint(c, req.params.storeId, req.body)),
  );

  api.get(
    '/api/complaints/:complaintId',
    {
      schema: {
        tags: ['feedback'],
        summary:
          'A complaint: the customer, the sale, what was given (a refund with its payment’s state), its history',
        params: complaintParams,
      },
    },
    async (req) => complaintDetail(ctx, req.params.complaintId),
  );

  api.post(
    '/api/complaints/:complaintId/compensations',
    {
      schema: {
        tags: ['feedback'],
        summary:
          'A manager gives a compensation: a refund (back through the provider that took the money, never more than it has left), a coupon (its code) or a gift (what it is)',
        headers: idempotencyHeaders,
        params: complaintParams,
        body: z.object({
          kind: z.enum(['refund', 'coupon', 'gift']),
          valueFen: z.number().int().positive(),
          detail: z.string().trim().max(200).default(''),
        }),
      },
    },
    async (req, reply) => {
      const created: string[] = [];
      const answered = await answerMutation(ctx, req, reply, 201, (c) =>
        giveCompensation(c, req.params.complaintId, req.body, created),
      );
      for (const id of created) void deps.payments?.scheduler.kick(id);
      return answered;
    },
  );

  for (const event of ['resolve', 'reopen'] as const)
    api.post(
      `/api/complaints/:complaintId/${event}`,
      {
        schema: {
          tags: ['feedback'],
          summary:
            event === 'resolve'
              ? 'A manager resolves the complaint with what was agreed'
              : 'A manager reopens a resolved complaint, saying why',
          headers: idempotencyHeaders,
          params: complaintParams,
          body: z.object({ text: freeText(500) }),
        },
      },
      async (req, reply) =>
        answerMutation(ctx, req, reply, 200, (c) =>
          decideComplaint(c, req.params.complaintId, { event, text: req.body.text }),
        ),
    );
}
