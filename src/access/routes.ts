import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParam, type RouteDeps } from '../http';
import { Refusal } from '../kernel';
import { ROLES } from '../staff';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './guard';
import { matrixTable } from './matrix';
import { SESSION_LIMITS } from './session-policy';
import { type SignInResult, sessionIdOf, signInWithPassword, signInWithPin, signOut } from './sessions';

const staffCode = z.string().trim().min(1).max(64);

/**
 * Sign-in is not replayed from the idempotency store: its answer carries a new session, and its
 * request a secret, neither of which may be kept. A repeated sign-in is harmless — it opens a new
 * session and ends the one it replaces.
 */
export function accessRoutes(app: FastifyInstance, { ctx }: RouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const presented = (cookie: string | undefined) => {
    const token = readCookie(cookie, SESSION_COOKIE);
    return token ? sessionIdOf(token) : null;
  };
  const answer = (result: SignInResult) => ({ session: result.session });

  api.get(
    '/api/session',
    { schema: { tags: ['access'], summary: 'Who is signed in here, with the CSRF token for changes' } },
    async (req) => (req.session ? { signedIn: true, session: req.session } : { signedIn: false }),
  );

  api.post(
    '/api/session/pin',
    {
      schema: {
        tags: ['access'],
        summary: 'Sign in at a till with a staff code and PIN; signs out whoever was signed in there',
        body: z.object({ storeId: idParam, tillId: idParam, staffCode, pin: z.string().max(32) }),
      },
    },
    async (req, reply) => {
      const result = await signInWithPin(ctx, req.body, presented(req.headers.cookie), req.ip);
      setSessionCookie(req, reply, result.token, SESSION_LIMITS.till.absoluteMs / 1000);
      return answer(result);
    },
  );

  api.post(
    '/api/session/password',
    {
      schema: {
        tags: ['access'],
        summary: 'Sign in to the back office with a staff code and password',
        body: z.object({ staffCode, password: z.string().max(256) }),
      },
    },
    async (req, reply) => {
      const result = await signInWithPassword(ctx, req.body, presented(req.headers.cookie), req.ip);
      setSessionCookie(req, reply, result.token, SESSION_LIMITS.backoffice.absoluteMs / 1000);
      return answer(result);
    },
  );

  api.post(
    '/api/session/sign-out',
    { schema: { tags: ['access'], summary: 'End this session' } },
    async (req, reply) => {
      if (!req.actor) throw new Refusal('unauthenticated');
      await signOut(ctx, req.actor);
      clearSessionCookie(req, reply);
      return { signedIn: false };
    },
  );

  api.get(
    '/api/access/matrix',
    { schema: { tags: ['access'], summary: 'The permission matrix: every route and who may call it' } },
    async () => ({ roles: ROLES, routes: matrixTable() }),
  );
}
