import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerMutation,
  freeText,
  idempotencyHeaders,
  idParam,
  langQuery,
  type RouteDeps,
  requestLang,
} from '../http';
import type { Lang } from '../kernel';
import { type ReceiptDoc, renderEscPos, renderHtml } from '../receipts';
import { DENOMINATIONS_FEN } from './model';
import { closeTillDay, dayCloseDoc, previewDayClose, storeDay, storeDayDoc } from './service';

const day = z.iso.date();
const count = z
  .object(
    Object.fromEntries(
      DENOMINATIONS_FEN.map((d) => [String(d), z.number().int().min(0).max(10_000).optional()]),
    ),
  )
  .strict();
const printQuery = z.object({
  lang: langQuery,
  width: z.coerce
    .number()
    .pipe(z.union([z.literal(58), z.literal(80)]))
    .default(80),
});

export function dayCloseRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx, publicUrl } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/tills/:tillId/day-close',
    {
      schema: {
        tags: ['day close'],
        summary:
          'Before closing a till’s day: takings per tender, the payments still being checked, open slips, and the close if done',
        params: z.object({ tillId: idParam }),
        querystring: z.object({ day }),
      },
    },
    async (req) => previewDayClose(ctx, req.params.tillId, req.query.day),
  );

  api.post(
    '/api/tills/:tillId/day-close',
    {
      schema: {
        tags: ['day close'],
        summary:
          '日结: a manager closes a till’s day with the drawer counted by denomination (fen → count) and the terminal’s batch total; refused while payments are still being checked unless each is acknowledged; once closed its Z report never changes',
        headers: idempotencyHeaders,
        params: z.object({ tillId: idParam }),
        body: z.object({
          day,
          floatFen: z.number().int().min(0).max(10_000_000),
          count,
          terminalBatchFen: z.number().int().min(0).max(100_000_000).nullable().default(null),
          acknowledged: z.array(idParam).max(200).default([]),
          note: freeText(300).nullable().default(null),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, (c) =>
        closeTillDay(c, req.params.tillId, { ...req.body, count: req.body.count as Record<string, number> }),
      ),
  );

  api.get(
    '/api/stores/:storeId/day-closes',
    {
      schema: {
        tags: ['day close'],
        summary: 'A store’s business day: each till, closed or not, with its Z report',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ day }),
      },
    },
    async (req) => storeDay(ctx, req.params.storeId, req.query.day),
  );

  // A Z report printed: HTML to show, or ESC/POS bytes for the thermal printer, at the paper's width.
  const printed = async (
    reply: FastifyReply,
    format: 'html' | 'escpos',
    doc: ReceiptDoc,
    width: 58 | 80,
    name: string,
  ) =>
    format === 'html'
      ? reply.type('text/html; charset=utf-8').send(await renderHtml(doc, width))
      : reply
          .type('application/octet-stream')
          .header('content-disposition', `attachment; filename="z-${name}-${width}mm.bin"`)
          .send(Buffer.from(renderEscPos(doc, width)));
  const printOptions = (req: FastifyRequest, q: { lang?: Lang | undefined }) => ({
    lang: q.lang ?? requestLang(req),
    publicUrl: publicUrl(),
  });

  for (const format of ['html', 'escpos'] as const) {
    api.get(
      `/api/day-closes/:closeId/report.${format}`,
      {
        schema: {
          tags: ['day close'],
          summary:
            format === 'html'
              ? 'The Z report as HTML for 58 or 80 mm paper'
              : 'The Z report as ESC/POS bytes',
          params: z.object({ closeId: idParam }),
          querystring: printQuery,
        },
      },
      async (req, reply) =>
        printed(
          reply,
          format,
          await dayCloseDoc(ctx, req.params.closeId, printOptions(req, req.query)),
          req.query.width,
          req.params.closeId,
        ),
    );
    api.get(
      `/api/stores/:storeId/day-closes/report.${format}`,
      {
        schema: {
          tags: ['day close'],
          summary:
            format === 'html'
              ? 'The store’s Z report for a day (全店日结): its closed tills added up, naming those not closed yet; HTML for 58 or 80 mm paper'
              : 'The store’s Z report for a day as ESC/POS bytes',
          params: z.object({ storeId: idParam }),
          querystring: printQuery.extend({ day }),
        },
      },
      async (req, reply) =>
        printed(
          reply,
          format,
          await storeDayDoc(ctx, req.params.storeId, req.query.day, printOptions(req, req.query)),
          req.query.width,
          `${req.params.storeId}-${req.query.day}`,
        ),
    );
  }
}
