import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, freeText, idempotencyHeaders, idParam, limitQuery, runMutation } from '../http';
import { Refusal } from '../kernel';
import type { PaymentRouteDeps } from '../payments';
import { reconCaseDetail, reconCasesOf, reopenReconCase, resolveReconCase } from './cases';
import { bytesReader } from './readers';
import { STATEMENT_PROVIDERS } from './statement';
import { importStatement } from './statement-import';

const caseParams = z.object({ caseId: idParam });

export function reconRoutes(app: FastifyInstance, deps: PaymentRouteDeps): void {
  const { ctx } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/recon/imports',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['reconciliation'],
        summary:
          'Import a statement (the body is the file: Alipay’s .csv.zip, WeChat Pay’s bill, the card settlement CSV) and match it; a file with a bad line is refused whole (422, every bad line listed), re-importing adds nothing',
        headers: idempotencyHeaders,
        querystring: z.object({
          provider: z.enum(STATEMENT_PROVIDERS),
          storeId: idParam,
          fileName: z.string().trim().min(1).max(200).default('upload'),
        }),
      },
    },
    async (req, reply) =>
      runMutation(ctx, req, reply, async (c) => {
        const body = req.body;
        if (!Buffer.isBuffer(body))
          throw new Refusal('unsupported_media_type', 'send the file as application/octet-stream');
        const summary = await importStatement(c, {
          provider: req.query.provider,
          read: bytesReader(req.query.provider, body),
          fileName: req.query.fileName,
          sha256: createHash('sha256').update(body).digest('hex'),
          storeId: req.query.storeId,
        });
        return { statusCode: summary.errors.length > 0 ? 422 : 200, body: summary };
      }),
  );

  api.get(
    '/api/stores/:storeId/recon-cases',
    {
      schema: {
        tags: ['reconciliation'],
        summary:
          'The store’s reconciliation cases, newest first: what each is about, and the sales its money could belong to',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ status: z.enum(['open', 'resolved']).optional(), limit: limitQuery }),
      },
    },
    async (req) => ({
      cases: await reconCasesOf(ctx, req.params.storeId, {
        status: req.query.status ?? null,
        limit: req.query.limit,
      }),
    }),
  );

  api.get(
    '/api/recon-cases/:caseId',
    {
      schema: {
        tags: ['reconciliation'],
        summary:
          'A reconciliation case: its statement line, the attempt it is about, its candidates, its resolution',
        params: caseParams,
      },
    },
    async (req) => reconCaseDetail(ctx, req.params.caseId),
  );

  api.post(
    '/api/recon-cases/:caseId/resolve',
    {
      schema: {
        tags: ['reconciliation'],
        summary:
          'Resolve a case: link the money to a customer’s proof of payment (the sale completes), refund it through the provider that took it, or write it off (a manager); audited',
        headers: idempotencyHeaders,
        params: caseParams,
        body: z.discriminatedUnion('action', [
          z.object({ action: z.literal('link'), candidate: z.number().int().min(0), reason: freeText(300) }),
          z.object({ action: z.literal('refund'), reason: freeText(300) }),
          z.object({ action: z.literal('write_off'), reason: freeText(300) }),
        ]),
      },
    },
    async (req, reply) => {
      const created: string[] = [];
      const answered = await answerMutation(ctx, req, reply, 200, (c) =>
        resolveReconCase(c, req.params.caseId, req.body, created),
      );
      for (const id of created) void deps.payments?.scheduler.kick(id);
      return answered;
    },
  );

  api.post(
    '/api/recon-cases/:caseId/reopen',
    {
      schema: {
        tags: ['reconciliation'],
        summary: 'Reopen a resolved case, saying why (audited)',
        headers: idempotencyHeaders,
        params: caseParams,
        body: z.object({ reason: freeText(300) }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => reopenReconCase(c, req.params.caseId, req.body.reason)),
  );
}
