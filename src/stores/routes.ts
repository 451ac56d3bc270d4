import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../http/route-kit';
import { listStores } from './store';

export function storeRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/api/stores', { schema: { tags: ['stores'], summary: 'Stores and their tills' } }, async () => ({
      stores: await listStores(ctx.db.kysely),
    }));
}
