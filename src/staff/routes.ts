import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerMutation, freeText, idempotencyHeaders, idParam, type RouteDeps } from '../http';
import { ROLES } from './model';
import { createStaff, hashNewSecrets, removeStaff, setSecret, updateStaff } from './service';
import { listStoreStaff, signInList, staffView } from './store';

const role = z.enum(ROLES);
const code = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, dash or underscore');
const name = freeText(60);
// Shape rules (length, digits, too simple) are the service's, so the refusal says which one.
const pin = z.string().max(32);
const password = z.string().max(256);
const staffParams = z.object({ staffId: idParam });

export function staffRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/stores/:storeId/sign-in-staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Names a cashier taps at the till before typing a PIN (no ids, no secrets)',
        params: z.object({ storeId: idParam }),
      },
    },
    async (req) => ({ staff: await signInList(ctx.db.kysely, req.params.storeId) }),
  );

  api.get(
    '/api/stores/:storeId/staff',
    { schema: { tags: ['staff'], summary: 'The staff of a store', params: z.object({ storeId: idParam }) } },
    async (req) => {
      const now = ctx.clock.now().getTime();
      return {
        staff: (await listStoreStaff(ctx.db.kysely, req.params.storeId)).map((r) => staffView(r, now)),
      };
    },
  );

  api.post(
    '/api/stores/:storeId/staff',
    {
      schema: {
        tags: ['staff'],
        summary: 'Add a staff member (roles below your own)',
        headers: idempotencyHeaders,
        params: z.object({ storeId: idParam }),
        body: z.object({ code, name, role, pin: pin.optional(), password: password.optional() }),
      },
    },
    async (req, reply) => {
      const { pin, password, ...member } = req.body;
      const secrets = await hashNewSecrets({ pin, password });
      return answerMutation(ctx, req, reply, 201, (c) => createStaff(c, req.params.storeId, member, secrets));
    },
  );

  api.patch(
    '/api/staff/:staffId',
    {
      schema: {
        tags: ['staff'],
        summary: 'Rename, change role, or disable/enable (a demotion or disable ends their sessions)',
        headers: idempotencyHeaders,
        params: staffParams,
        body: z.object({ name: name.optional(), role: role.optional(), active: z.boolean().optional() }),
      },
    },
    async (req, reply) =>
      answerMutation(ctx, req, reply, 200, (c) => updateStaff(c, req.params.staffId, req.body)),
  );

  api.delete(
    '/api/staff/:staffId',
    {
      schema: {
        tags: ['staff'],
        summary: 'Remove a staff member: kept for the audit log, never signs in again',
        headers: idempotencyHeaders,
        params: staffParams,
      },
    },
    async (req, reply) => answerMutation(ctx, req, reply, 200, (c) => removeStaff(c, req.params.staffId)),
  );

  for (const kind of ['pin', 'password'] as const) {
    api.put(
      `/api/staff/:staffId/${kind}`,
      {
        schema: {
          tags: ['staff'],
          summary: kind === 'pin' ? 'Set a till PIN (also lifts a lockout)' : 'Set a back-office password',
          headers: idempotencyHeaders,
          params: staffParams,
          body: z.object({ secret: kind === 'pin' ? pin : password }),
        },
      },
      async (req, reply) => {
        const secrets = await hashNewSecrets({ [kind]: req.body.secret });
        return answerMutation(ctx, req, reply, 200, (c) => setSecret(c, req.params.staffId, kind, secrets));
      },
    );
  }
}
