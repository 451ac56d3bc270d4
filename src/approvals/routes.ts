import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, freeText, idempotencyHeaders, idParam, limitQuery, type RouteDeps } from '../http';
import { GUARDED_ACTIONS, type GuardedAction } from '../staff';
import { APPROVAL_STATUSES } from './model';
import { approversFor, decideApproval, getApproval, listApprovals, requestApproval } from './service';

const action = z.enum(Object.keys(GUARDED_ACTIONS) as [GuardedAction, ...GuardedAction[]]);
const approvalParams = z.object({ approvalId: idParam });

export function approvalRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/approvals',
    {
      schema: {
        tags: ['approvals'],
        summary:
          'Ask for an approval; with an approver’s code and PIN it is decided at once, without it waits for the back office',
        headers: idempotencyHeaders,
        body: z.object({
          action,
          saleId: idParam.nullable().default(null),
          reason: freeText(200),
          approver: z
            .object({ staffCode: z.string().trim().min(1).max(64), pin: z.string().max(32) })
            .optional(),
        }),
      },
    },
    async (req, reply) => {
      if (!req.body.approver)
        return answerMutation(ctx, req, reply, 201, (c) => requestApproval(c, req.body));
      // With a PIN: no surrounding transaction, so a wrong PIN's failure count and audit event
      // commit even though the request is refused, and no idempotent replay (see
      // src/access/routes.ts). A repeat is harmless: another grant, which expires unused.
      const view = await requestApproval(
        { ...ctx, ...(req.actor ? { actor: req.actor } : {}) },
        req.body,
        req.ip,
      );
      return reply.code(201).send(view);
    },
  );

  api.get(
    '/api/approvals/:approvalId',
    {
      schema: {
        tags: ['approvals'],
        summary: 'An approval request and its decision',
        params: approvalParams,
      },
    },
    async (req) => getApproval(ctx, req.params.approvalId),
  );

  api.get(
    '/api/stores/:storeId/approvers',
    {
      schema: {
        tags: ['approvals'],
        summary: 'Who at the store may approve this action for the caller with a PIN at the till',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ action }),
      },
    },
    async (req) => ({
      approvers: await approversFor(
        { ...ctx, ...(req.actor ? { actor: req.actor } : {}) },
        req.params.storeId,
        req.query.action,
      ),
    }),
  );

  api.get(
    '/api/stores/:storeId/approvals',
    {
      schema: {
        tags: ['approvals'],
        summary: 'Approval requests of a store, newest first',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ status: z.enum(APPROVAL_STATUSES).optional(), limit: limitQuery }),
      },
    },
    async (req) => ({
      approvals: await listApprovals(ctx, req.params.storeId, req.query.status ?? null, req.query.limit),
    }),
  );

  for (const decision of ['grant', 'deny'] as const) {
    api.post(
      `/api/approvals/:approvalId/${decision}`,
      {
        schema: {
          tags: ['approvals'],
          summary:
            decision === 'grant'
              ? 'Approve a pending request from the back office'
              : 'Refuse a pending request',
          headers: idempotencyHeaders,
          params: approvalParams,
        },
      },
      async (req, reply) =>
        answerMutation(ctx, req, reply, 200, (c) =>
          decideApproval(c, req.params.approvalId, decision === 'grant'),
        ),
    );
  }
}
