import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { feedbackPanelHtml } from '../feedback';
import { answerMutation, freeText, idempotencyHeaders, idParam, langQuery, requestLang } from '../http';
import { type Lang, Refusal } from '../kernel';
import type { PaymentRouteDeps } from '../payments';
import { renderEscPos, renderHtml } from '../receipts';
import { PROVEN_TENDERS } from '../shared';
import { caseDetail, recordCaseEvent } from './cases';
import { sendReminder } from './customer-notices';
import { recordManualConfirmation } from './manual-confirmation';
import { payLater, payLaterState } from './pay-later';
import { payPanelHtml } from './pay-page';
import { followUpQueue } from './queue';
import { closeSlip, issueSlip, slipByNumber, slipDocument } from './slips';

const slipNumber = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9-]+$/, 'a slip number: letters, digits and dashes');

const printQuery = z.object({
  lang: langQuery,
  width: z.coerce
    .number()
    .pipe(z.union([z.literal(58), z.literal(80)]))
    .default(80),
});

const payToken = z
  .string()
  .min(10)
  .max(40)
  .regex(/^[A-Za-z0-9]+$/);

export function exceptionRoutes(app: FastifyInstance, deps: PaymentRouteDeps): void {
  const { ctx, publicUrl } = deps;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const slipDoc = (where: { number: string } | { payToken: string }, lang: Lang) =>
    slipDocument(ctx, where, { lang, publicUrl: publicUrl() });

  api.get(
    '/api/slips/:slipNumber/slip.html',
    {
      schema: {
        tags: ['exceptions'],
        summary: 'The provisional slip as HTML for 58 or 80 mm paper (and the screen)',
        params: z.object({ slipNumber }),
        querystring: printQuery,
      },
    },
    async (req, reply) => {
      const doc = await slipDoc({ number: req.params.slipNumber }, req.query.lang ?? requestLang(req));
      return reply.type('text/html; charset=utf-8').send(await renderHtml(doc, req.query.width));
    },
  );

  api.get(
    '/api/slips/:slipNumber/slip.escpos',
    {
      schema: {
        tags: ['exceptions'],
        summary: 'The provisional slip as ESC/POS bytes for a thermal printer',
        params: z.object({ slipNumber }),
        querystring: printQuery,
      },
    },
    async (req, reply) => {
      const doc = await slipDoc({ number: req.params.slipNumber }, req.query.lang ?? requestLang(req));
      return reply
        .type('application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${req.params.slipNumber}-${req.query.width}mm.bin"`,
        )
        .send(Buffer.from(await renderEscPos(doc, req.query.width)));
    },
  );

  // The page the slip's QR code opens for the customer: the slip, and a way to pay what is due.
  app.withTypeProvider<ZodTypeProvider>().get(
    '/pay/:token',
    {
      schema: {
        hide: true,
        params: z.object({ token: payToken }),
        querystring: z.object({ lang: langQuery }),
      },
    },
    async (req, reply) => {
      const lang = req.query.lang ?? requestLang(req);
      const doc = await slipDoc({ payToken: req.params.token }, lang);
      const state = await payLaterState(ctx, req.params.token, lang);
      const html = (await renderHtml(doc, 80)).replace(
        '</body>',
        `${payPanelHtml({ token: req.params.token, status: state.status, dueFen: state.dueFen, lang })}${feedbackPanelHtml({ postTo: `/api/feedback/slip/${req.params.token}`, lang })}</body>`,
      );
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );

  api.get(
    '/api/pay/:token',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          'The customer’s page follows its slip: still due, and how its payment is going (nothing personal)',
        params: z.object({ token: payToken }),
      },
    },
    async (req) => payLaterState(ctx, req.params.token, requestLang(req)),
  );

  api.post(
    '/api/pay/:token',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          'The customer pays what is due on a slip from its page, through a wallet (the sandbox wallets here); saved (202) before anything is sent',
        headers: idempotencyHeaders,
        params: z.object({ token: payToken }),
        body: z.object({ wallet: z.enum(['alipay', 'wechat']) }),
      },
    },
    async (req, reply) => {
      const payments = deps.payments;
      if (!payments?.sandboxPaymentCode) throw new Refusal('wallet_unavailable');
      const paymentCode = payments.sandboxPaymentCode(req.body.wallet);
      let started: string | null = null;
      const answered = await answerMutation(ctx, req, reply, 202, async (c) => {
        const row = await payLater(c, payments.runtime, {
          payToken: req.params.token,
          wallet: req.body.wallet,
          paymentCode,
        });
        started = row.id;
        return { attemptId: row.id, status: row.status };
      });
      if (started) void payments.scheduler.kick(started);
      return answered;
    },
  );

  api.post(
    '/api/sales/:saleId/slip',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          '小单: put the sale on account with a provisional slip (goods taken leave stock now, goods held are reserved) and open its follow-up case',
        headers: idempotencyHeaders,
        params: z.object({ saleId: idParam }),
        body: z.object({
          reason: freeText(200),
          customerName: freeText(40),
          customerPhone: z.string().trim().min(1).max(30),
          goods: z.enum(['taken', 'held']),
          customerEmail: z.email().max(120).nullish(),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 201, (c) => issueSlip(c, req.params.saleId, req.body)),
  );

  api.get(
    '/api/slips/:slipNumber',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          'A provisional slip by its number (as printed): goods, paid, due, its case — for taking it up at a till',
        params: z.object({ slipNumber }),
      },
    },
    async (req) => slipByNumber(ctx, req.params.slipNumber),
  );

  api.get(
    '/api/stores/:storeId/follow-ups',
    {
      schema: {
        tags: ['exceptions'],
        summary: 'The follow-up queue: cases still open, overdue first, then due today, then later',
        params: z.object({ storeId: idParam }),
      },
    },
    async (req) => ({ cases: await followUpQueue(ctx, req.params.storeId) }),
  );

  api.get(
    '/api/follow-ups/:caseId',
    {
      schema: {
        tags: ['exceptions'],
        summary: 'A follow-up case: its slip, the customer to call, its timeline',
        params: z.object({ caseId: idParam }),
      },
    },
    async (req) => caseDetail(ctx, req.params.caseId),
  );

  api.post(
    '/api/follow-ups/:caseId/events',
    {
      schema: {
        tags: ['exceptions'],
        summary: 'Record a contact with the customer, or a note, on the case’s timeline',
        headers: idempotencyHeaders,
        params: z.object({ caseId: idParam }),
        body: z.object({ event: z.enum(['contacted', 'noted']), note: freeText(500) }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => recordCaseEvent(c, req.params.caseId, req.body)),
  );

  api.post(
    '/api/follow-ups/:caseId/close',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          'A manager closes a slip the customer never came back for: cancel (goods held go back on sale) or write off (goods taken)',
        headers: idempotencyHeaders,
        params: z.object({ caseId: idParam }),
        body: z.object({ event: z.enum(['cancel', 'write_off']), reason: freeText(200) }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => closeSlip(c, req.params.caseId, req.body)),
  );

  api.post(
    '/api/follow-ups/:caseId/manual-confirmation',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          'A manager records the customer’s proof that the money was taken (“my bank says I paid”): the case and the sale wait for the statement, which decides (reconciliation); no tender can take it meanwhile',
        headers: idempotencyHeaders,
        params: z.object({ caseId: idParam }),
        body: z.object({
          tender: z.enum(PROVEN_TENDERS),
          amountFen: z.number().int().positive().max(100_000_000),
          paidOn: z.iso.date(),
          reference: freeText(64),
          evidence: freeText(500),
        }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => recordManualConfirmation(c, req.params.caseId, req.body)),
  );

  api.post(
    '/api/follow-ups/:caseId/reminders',
    {
      schema: {
        tags: ['exceptions'],
        summary:
          'Send the customer a reminder with the pay-later link, through the notifier (e-mail when they gave an address and the store has it set up; else the case timeline)',
        headers: idempotencyHeaders,
        params: z.object({ caseId: idParam }),
      },
    },
    async (req, reply) => answerMutation(ctx, req, reply, 200, (c) => sendReminder(c, req.params.caseId)),
  );
}
