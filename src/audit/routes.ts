import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, type RouteDeps } from '../http';
import { Refusal } from '../kernel';
import { chainsFor, parseCursor, searchAudit } from './search';
import { verifyChains } from './store';

// Free text is bounded and bound as a parameter; ids and times keep their own shape.
const isoTime = z.iso.datetime({ offset: true });
const auditQuery = z.object({
  storeId: idParam.optional().describe('a store id, or `hq` for chain-wide events (head office)'),
  actor: z.string().trim().min(1).max(64).optional().describe('staff id or staff code'),
  action: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('an action or its prefix, e.g. `sale.` or `session.sign_in`'),
  saleId: idParam.optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function auditRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log by store, actor, action, sale and time; newest first',
        querystring: auditQuery,
      },
    },
    async (req) => {
      const q = req.query;
      const from = q.from ? new Date(q.from).toISOString() : null;
      const to = q.to ? new Date(q.to).toISOString() : null;
      if (from && to && from >= to) throw new Refusal('search_invalid', '`from` must be before `to`');
      const before = q.cursor ? parseCursor(q.cursor) : null;
      if (q.cursor && !before) throw new Refusal('search_invalid', 'unknown cursor');
      return searchAudit(ctx.db.kysely, {
        chains: chainsFor(req.actor?.storeId ?? null, q.storeId ?? null),
        actor: q.actor ?? null,
        action: q.action ?? null,
        saleId: q.saleId ?? null,
        from,
        to,
        before,
        limit: q.limit,
      });
    },
  );

  api.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: 'Check the hash chains you may read; names the first broken link',
        querystring: z.object({ storeId: idParam.optional() }),
      },
    },
    async (req) => {
      const chains = chainsFor(req.actor?.storeId ?? null, req.query.storeId ?? null);
      const verdicts = await verifyChains(ctx.db.kysely, chains);
      return {
        ok: verdicts.every((v) => v.ok),
        chains: verdicts.map((v) =>
          v.ok
            ? { chain: v.chain, ok: true, events: v.events }
            : {
                chain: v.chain,
                ok: false,
                events: v.events,
                brokenAtSeq: v.brokenAt.seq,
                brokenEventId: v.brokenAt.id,
                reason: v.reason,
              },
        ),
      };
    },
  );
}
