/**
 * The gate every API request passes before its body is even parsed: who is calling (the session
 * cookie), may they call this route on this store's data (the matrix), and — for anything that
 * changes something — did the request come from our own app (CSRF token and Origin).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context';
import type { Tx } from '../db';
import { Port, Refusal } from '../kernel';
import { storeOfStaff } from '../staff';
import { tillById } from '../stores';
import '../http';
import { decide, ROUTE_RULES, type RouteRule, ruleKey } from './matrix';
import { auditRejectedSession, lookUpSession, type SessionView } from './sessions';

// The session a request came with (the person is `req.actor`, declared by the HTTP layer).
declare module 'fastify' {
  interface FastifyRequest {
    session: SessionView | null;
  }
}

export const SESSION_COOKIE = 'tillsafe_session';
export const CSRF_HEADER = 'x-csrf-token';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      // Our tokens are base64url: anything else is not ours, and is not looked up.
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : '';
    }
  }
  return null;
}

function secure(req: FastifyRequest): boolean {
  return req.protocol === 'https' || req.headers['x-forwarded-proto'] === 'https';
}

export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeS: number,
): void {
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure(req) ? '; Secure' : ''}`,
  );
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure(req) ? '; Secure' : ''}`,
  );
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A browser says where a request comes from; another site's page must not act with our cookie. */
function crossSite(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * The store of a thing a path names, asked of the room that owns it (plugged in at start-up):
 * undefined when there is no such thing, null for one of the chain (head office).
 */
type StoreOf = (db: Tx, key: string) => Promise<string | null | undefined>;
export const STORE_OF = {
  sale: new Port<StoreOf>('access.storeOf.sale'),
  attempt: new Port<StoreOf>('access.storeOf.attempt'),
  approval: new Port<StoreOf>('access.storeOf.approval'),
  slip: new Port<StoreOf>('access.storeOf.slip'),
  case: new Port<StoreOf>('access.storeOf.case'),
  complaint: new Port<StoreOf>('access.storeOf.complaint'),
  recon_case: new Port<StoreOf>('access.storeOf.recon_case'),
  day_close: new Port<StoreOf>('access.storeOf.day_close'),
} as const;

/** The store a request touches, by the rule's scope: undefined when the thing named does not exist. */
async function storeOf(ctx: Ctx, rule: RouteRule, req: FastifyRequest): Promise<string | null | undefined> {
  if (rule.access === 'public') return undefined;
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  const query = (req.query ?? {}) as Record<string, string | undefined>;
  const db = ctx.db.kysely;
  const named = (key: string | undefined, scope: keyof typeof STORE_OF) =>
    key ? STORE_OF[scope].call(db, key) : Promise.resolve(undefined);
  switch (rule.scope) {
    case 'store': {
      const id = params.storeId ?? query.storeId;
      return typeof id === 'string' ? id : undefined;
    }
    case 'sale':
      return named(params.saleId, 'sale');
    case 'staff':
      return params.staffId ? storeOfStaff(db, params.staffId) : undefined;
    case 'attempt':
      return named(params.attemptId, 'attempt');
    case 'approval':
      return named(params.approvalId, 'approval');
    case 'slip':
      return named(params.slipNumber, 'slip');
    case 'case':
      return named(params.caseId, 'case');
    case 'complaint':
      return named(params.complaintId, 'complaint');
    case 'recon_case':
      return named(params.caseId, 'recon_case');
    case 'till':
      return params.tillId ? (await tillById(db, params.tillId))?.storeId : undefined;
    case 'day_close':
      return named(params.closeId, 'day_close');
    case 'chain':
      return null;
    case 'none':
      return undefined;
  }
}

/** Registers the gate. Call before any route: a route registered without a rule stops start-up. */
export function registerGuard(app: FastifyInstance, ctx: Ctx): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      if (!route.url.startsWith('/api/')) {
        // Outside the API only the web app's files are served, read-only.
        if (method !== 'GET') throw new Error(`route ${method} ${route.url} is outside /api and not a GET`);
        continue;
      }
      if (!ROUTE_RULES[ruleKey(method, route.url)])
        throw new Error(`route ${method} ${route.url} has no rule in src/access/matrix.ts (deny by default)`);
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url;
    if (!url?.startsWith('/api/')) return;
    const rule = ROUTE_RULES[ruleKey(req.method, url)];
    // Unreachable after the onRoute check; kept so a gap can only ever deny.
    if (!rule) throw new Refusal('forbidden');
    const mutating = MUTATING.has(req.method);
    if (mutating && crossSite(req)) throw new Refusal('csrf_failed', 'cross-site request');

    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token !== null) {
      const found = token === '' ? null : await lookUpSession(ctx, token);
      if (found?.ok) {
        req.actor = found.actor;
        req.session = found.view;
      } else {
        const rejection = found ?? {
          ok: false as const,
          code: 'session_invalid' as const,
          storeId: null,
          staffId: null,
        };
        // A stale cookie does not stop anyone signing in again (which replaces it) or reading public pages.
        if (rule.access !== 'public') {
          clearSessionCookie(req, reply);
          await auditRejectedSession(ctx, rejection, { method: req.method, route: url });
          throw new Refusal(rejection.code);
        }
      }
    }

    const decision = decide(rule, req.actor, await storeOf(ctx, rule, req));
    if (!decision.allow) throw new Refusal(decision.code);
    if (rule.access === 'staff' && mutating) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !req.session || !sameToken(sent, req.session.csrfToken))
        throw new Refusal('csrf_failed', 'missing or wrong CSRF token');
    }
  });
}
