import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, type RouteDeps } from '../http';
import { BOOKED_TENDERS } from '../shared';
import { searchJournal } from './search';

const fen = z.coerce.number().int().min(0).max(100_000_000_000);

export function journalRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/stores/:storeId/journal',
    {
      schema: {
        tags: ['journal'],
        summary:
          'Past sales by receipt number or QR code, days, amount, tender, card’s last four digits (with days) or phone; newest first',
        params: z.object({ storeId: idParam }),
        querystring: z
          .object({
            code: z.string().trim().min(1).max(300).optional(),
            fromDay: z.iso.date().optional(),
            toDay: z.iso.date().optional(),
            minFen: fen.optional(),
            maxFen: fen.optional(),
            tender: z.enum(BOOKED_TENDERS).optional(),
            last4: z
              .string()
              .regex(/^\d{4}$/)
              .optional(),
            phone: z.string().trim().min(3).max(40).optional(),
            after: z.string().max(100).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
          })
          .refine((q) => q.minFen === undefined || q.maxFen === undefined || q.minFen <= q.maxFen, {
            message: 'minFen must not be above maxFen',
          })
          .refine((q) => !q.fromDay || !q.toDay || q.fromDay <= q.toDay, {
            message: 'fromDay must not be after toDay',
          }),
      },
    },
    async (req) => searchJournal(ctx, req.params.storeId, req.query),
  );
}
