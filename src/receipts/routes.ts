import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { feedbackPanelHtml } from '../feedback';
import { answerMutation, idempotencyHeaders, idParam, langQuery, type RouteDeps, requestLang } from '../http';
import { recordReceiptPrint } from './print-record';
import { receiptEscPos, receiptHtml } from './service';

const receiptQuery = z.object({
  lang: langQuery,
  width: z.coerce
    .number()
    .pipe(z.union([z.literal(58), z.literal(80)]))
    .default(80),
  copy: z.coerce.number().int().min(1).max(999).default(1).describe('1 = original; 2+ prints a REPRINT mark'),
});

const receiptSchema = (summary: string) => ({
  tags: ['receipts'],
  summary,
  params: z.object({ saleId: idParam }),
  querystring: receiptQuery,
});

export function receiptRoutes(app: FastifyInstance, { ctx, publicUrl }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const options = (q: z.infer<typeof receiptQuery>, fallback: 'zh-CN' | 'en') => ({
    lang: q.lang ?? fallback,
    widthMm: q.width,
    printNo: q.copy,
    publicUrl: publicUrl(),
  });

  api.get(
    '/api/sales/:saleId/receipt.html',
    { schema: receiptSchema('The receipt as HTML, sized for 58 or 80 mm paper') },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(await receiptHtml(ctx, req.params.saleId, options(req.query, requestLang(req)))),
  );

  api.get(
    '/api/sales/:saleId/receipt.escpos',
    { schema: receiptSchema('The receipt as ESC/POS bytes for a thermal printer') },
    async (req, reply) =>
      reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${req.params.saleId}-${req.query.width}mm.bin"`)
        .send(Buffer.from(await receiptEscPos(ctx, req.params.saleId, options(req.query, requestLang(req))))),
  );

  api.post(
    '/api/sales/:saleId/receipt-prints',
    {
      schema: {
        tags: ['receipts'],
        summary: 'Record that a receipt was printed; the answer says which copy (a reprint after the first)',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam }),
        body: z.object({
          format: z.enum(['html', 'escpos']),
          widthMm: z.union([z.literal(58), z.literal(80)]),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, (c) => recordReceiptPrint(c, req.params.saleId, req.body)),
  );

  // The e-receipt the QR code on the paper points to.
  api.get(
    '/r/:saleId',
    {
      schema: {
        hide: true,
        params: z.object({ saleId: idParam }),
        querystring: z.object({ lang: langQuery }),
      },
    },
    async (req, reply) => {
      const lang = req.query.lang ?? requestLang(req);
      const html = await receiptHtml(ctx, req.params.saleId, {
        lang,
        widthMm: 80,
        printNo: 1,
        publicUrl: publicUrl(),
      });
      // Under the e-receipt, the customer may rate the visit (once).
      const panel = feedbackPanelHtml({ postTo: `/api/feedback/receipt/${req.params.saleId}`, lang });
      return reply.type('text/html; charset=utf-8').send(html.replace('</body>', `${panel}</body>`));
    },
  );
}
