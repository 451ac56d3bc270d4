import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorIdOf } from '../context';
import { idempotencyHeaders, idParam, limitQuery, type RouteDeps, runMutation } from '../http';
import { Refusal } from '../kernel';
import { onHandOf } from '../stock';
import { storeById } from '../stores';
import { importCatalog } from './service';
import { searchVariants, variantByBarcode } from './store';

export function catalogRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/stores/:storeId/variants',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Search items by name, style, SKU or barcode, with on-hand in this store',
        params: z.object({ storeId: idParam }),
        querystring: z.object({ q: z.string().max(100).default(''), limit: limitQuery }),
      },
    },
    async (req) => {
      const store = await storeById(ctx.db.kysely, req.params.storeId);
      if (!store) throw new Refusal('store_unknown');
      const variants = await searchVariants(ctx.db.kysely, req.query.q, req.query.limit);
      const onHand = await onHandOf(
        ctx.db.kysely,
        store.id,
        variants.map((v) => v.id),
      );
      return { variants: variants.map((v) => ({ ...v, onHand: onHand.get(v.id) ?? 0 })) };
    },
  );

  api.get(
    '/api/stores/:storeId/variants/by-barcode/:barcode',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Look up one item by its barcode',
        params: z.object({ storeId: idParam, barcode: z.string().min(1).max(64) }),
      },
    },
    async (req) => {
      const variant = await variantByBarcode(ctx.db.kysely, req.params.barcode.trim());
      if (!variant) throw new Refusal('barcode_unknown', req.params.barcode);
      const onHand = await onHandOf(ctx.db.kysely, req.params.storeId, [variant.id]);
      return { variant: { ...variant, onHand: onHand.get(variant.id) ?? 0 } };
    },
  );

  api.post(
    '/api/catalog/import',
    {
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: ['catalog'],
        summary: 'Import a catalog CSV (whole file or nothing); body is the file (text/csv)',
        headers: idempotencyHeaders,
        querystring: z.object({
          encoding: z.enum(['utf-8', 'gb18030']).default('utf-8'),
          storeId: idParam.optional(),
        }),
      },
    },
    async (req, reply) =>
      runMutation(ctx, req, reply, async (c) => {
        const body = req.body;
        const bytes = Buffer.isBuffer(body)
          ? body
          : typeof body === 'string'
            ? Buffer.from(body, 'utf8')
            : null;
        if (!bytes) throw new Refusal('unsupported_media_type', 'send the CSV file as text/csv');
        const summary = await importCatalog(c, {
          bytes,
          encoding: req.query.encoding,
          stockStoreId: req.query.storeId ?? null,
          actorId: actorIdOf(c, 'backoffice'),
        });
        return { statusCode: 200, body: summary };
      }),
  );
}
