/** Assembles the HTTP server: validation, OpenAPI, problem+json errors, the capabilities' routes, the web app. */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { accessRoutes, describeRule, ROUTE_RULES, registerGuard, ruleKey } from '../access';
import { approvalRoutes } from '../approvals';
import { auditRoutes } from '../audit';
import { catalogRoutes } from '../catalog';
import type { Ctx } from '../context';
import { dayCloseRoutes } from '../dayclose';
import { exceptionRoutes } from '../exceptions';
import { feedbackRoutes } from '../feedback';
import { problemFor, problemFromError, requestLang, sendProblem } from '../http';
import { journalRoutes } from '../journal';
import { maskPans, maskPansIn, Refusal } from '../kernel';
import type { PaymentRouteDeps, PaymentWiring } from '../payments';
import { paymentRoutes, refundOwer } from '../payments';
import { receiptRoutes } from '../receipts';
import { reconRoutes } from '../recon';
import { returnRoutes } from '../returns';
import { saleRoutes } from '../sales';
import { staffRoutes } from '../staff';
import { stockRoutes } from '../stock';
import { storeRoutes } from '../stores';

export interface ServerOptions {
  publicUrl: () => string;
  /** The built web app (web/dist); served at / when present. */
  webDir?: string | null;
  logger?: FastifyServerOptions['logger'];
  version?: string;
  payments?: PaymentWiring | undefined;
}

/** What a page may load: its own scripts (and the inline one its answer's nonce names); framed by the app alone. */
const contentPolicy = (nonce: string | null) =>
  [
    "default-src 'self'",
    nonce ? `script-src 'self' 'nonce-${nonce}'` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

const PROVIDER_NOTICE_ROUTE = '/api/tills/:tillId/notifications/:tender';

/** Body fields whose digits are structured, never a card: left as sent (see maskPansIn). */
const STRUCTURED_DIGIT_FIELDS: ReadonlySet<string> = new Set(['barcode', 'paymentCode', 'pin', 'password']);

export async function buildServer(ctx: Ctx, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 256 * 1024,
    // Errors Fastify meets before any route (a bad percent-encoding) answer problem+json too.
    frameworkErrors: (error, req, reply) => {
      const code = error.code === 'FST_ERR_BAD_URL' ? 'bad_url' : 'bad_request';
      return sendProblem(reply, problemFor(code, requestLang(req)));
    },
    // Requests Node itself cannot parse (headers too large, a broken request line) never reach
    // Fastify: they are answered on the socket, as problem+json, and the connection closed.
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      if (!socket.writable) return socket.destroy();
      const code = error.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request';
      const body = JSON.stringify(problemFor(code, 'en'));
      const status = code === 'headers_too_large' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(
        `HTTP/1.1 ${status}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: 20 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  // Form fields only where a wallet posts its notifications (Alipay's are forms); anywhere else a
  // form is refused, so no HTML form on another site can post one at the API.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (req, body, done) => {
    if (!/^\/api\/tills\/[^/]+\/notifications\/[^/?]+(\?|$)/.test(req.url))
      return done(new Refusal('unsupported_media_type'), undefined);
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(String(body))) fields[k] = v;
    done(null, fields);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'TillSafe API',
        version: options.version ?? '0.1.0',
        description:
          'Point of sale for clothing stores. Money is in integer fen. Every mutating request honours an Idempotency-Key header. Errors are RFC 9457 problem+json with a stable `code`. Sign in with POST /api/session/pin (till) or /api/session/password (back office): the session is an httpOnly cookie, and every change must carry the session’s CSRF token in the X-CSRF-Token header. Who may call what is declared in src/access/matrix.ts (GET /api/access/matrix).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tillsafe_session' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'X-CSRF-Token',
            description: 'The session’s CSRF token; required on every change (not on reads).',
          },
        },
      },
    },
    // Each route's document says who may call it, from the same matrix the gate enforces.
    transform: (args) => {
      const out = jsonSchemaTransform(args);
      const method = Array.isArray(args.route.method) ? args.route.method[0] : args.route.method;
      const rule = ROUTE_RULES[ruleKey(String(method), args.url)];
      if (!rule) return out;
      const schema = out.schema as Record<string, unknown>;
      const before = typeof schema.description === 'string' ? `${schema.description}\n\n` : '';
      return {
        ...out,
        schema: {
          ...schema,
          description: `${before}${describeRule(rule)}`,
          security: rule.access === 'public' ? [] : [{ session: [], csrf: [] }],
        },
      };
    },
  });

  app.setErrorHandler((error, req, reply) => {
    const problem = problemFromError(error, req);
    if (problem.status >= 500) req.log.error({ err: error, url: maskPans(req.url) }, 'request failed');
    return sendProblem(reply, problem);
  });

  if (process.env.EXP_TIMING) {
    const t: number[] = [];
    app.addHook('onResponse', async (_req, reply) => {
      t.push(reply.elapsedTime);
    });
    process.on('SIGTERM', () => {
      t.sort((a, b) => a - b);
      console.error(
        'SERVER elapsed p50',
        t[t.length >> 1],
        'mean',
        t.reduce((a, b) => a + b, 0) / t.length,
        'n',
        t.length,
      );
    });
  }
  // Every answer: no MIME sniffing, framed by the app alone (the till shows receipts so), no
  // referrer (a slip's page carries its secret in the URL), and a content policy; a server-made
  // page's inline script runs by this answer's nonce.
  const staticPolicy = contentPolicy(null);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'SAMEORIGIN');
    reply.header('referrer-policy', 'no-referrer');
    // Only a page made here holds an inline script: only its answer draws a nonce.
    const page =
      typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    if (!page) {
      reply.header('content-security-policy', staticPolicy);
      return payload;
    }
    const nonce = randomBytes(16).toString('base64');
    reply.header('content-security-policy', contentPolicy(nonce));
    return payload.replaceAll('<script>', `<script nonce="${nonce}">`);
  });
  // Card numbers typed into any free-text field of any route are masked before a handler sees them.
  // (Not a provider's signed notice: its ids are digits too, and masking one breaks the signature;
  // a notice is only a hint and is read by its adapter, never stored as it came.)
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.url === PROVIDER_NOTICE_ROUTE) return;
    if (typeof req.body === 'object' && req.body !== null && !Buffer.isBuffer(req.body))
      req.body = maskPansIn(req.body, STRUCTURED_DIGIT_FIELDS);
  });
  // Before any route: every route must have a rule in the permission matrix, or start-up fails.
  registerGuard(app, ctx);
  const deps: PaymentRouteDeps = { ctx, publicUrl: options.publicUrl, payments: options.payments };
  const payments = options.payments;
  // A void gives card money back as refund attempts, driven once the void has committed.
  const voidRefunds = payments
    ? { owerFor: refundOwer, kick: (attemptId: string) => void payments.scheduler.kick(attemptId) }
    : undefined;
  app.get(
    '/api/health',
    { schema: { tags: ['system'], summary: 'Liveness and database reachability' } },
    async () => {
      await sql`SELECT 1`.execute(ctx.db.kysely);
      return {
        status: 'ok',
        database: ctx.db.dialect,
        time: ctx.clock.now().toISOString(),
        version: options.version ?? '0.1.0',
        // Store mode: how many commits served how many mutations (group commit at work).
        ...(ctx.db.groupCommit ? { groupCommit: ctx.db.groupCommit.stats() } : {}),
      };
    },
  );
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  accessRoutes(app, deps);
  staffRoutes(app, deps);
  approvalRoutes(app, deps);
  auditRoutes(app, deps);
  storeRoutes(app, deps);
  catalogRoutes(app, deps);
  stockRoutes(app, deps);
  saleRoutes(app, { ...deps, voidRefunds });
  receiptRoutes(app, deps);
  paymentRoutes(app, deps);
  exceptionRoutes(app, deps);
  feedbackRoutes(app, deps);
  returnRoutes(app, deps);
  journalRoutes(app, deps);
  reconRoutes(app, deps);
  dayCloseRoutes(app, deps);

  const webDir = options.webDir;
  const hasWeb = webDir && existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    // The web app routes in the browser: unknown non-API paths get its page.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/'))
      return reply.type('text/html').sendFile('index.html');
    return sendProblem(
      reply,
      problemFor('not_found', requestLang(req), `${req.method} ${req.url.split('?')[0]}`),
    );
  });
  return app;
}
