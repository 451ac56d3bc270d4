import type { FastifyInstance } from 'fastify';
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
} from '../http/route-kit';
import { DENOMINATIONS_FEN } from './model';
import { closeTillDay, dayCloseEscPos, dayCloseHtml, previewDayClose, storeDay } from './service';

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

  for (const format of ['html', 'escpos'] as const)
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
      async (req, reply) => {
        const o = {
          lang: req.query.lang ?? requestLang(req),
          publicUrl: publicUrl(),
          width: req.query.width,
        };
        if (format === 'html')
          return reply.type('text/html; charset=utf-8').send(await dayCloseHtml(ctx, req.params.closeId, o));
        return reply
          .type('application/octet-stream')
          .header('content-disposition', `attachment; filename="z-${req.params.closeId}-${o.width}mm.bin"`)
          .send(Buffer.from(await dayCloseEscPos(ctx, req.params.closeId, o)));
      },
    );
}
