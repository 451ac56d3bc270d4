/**
 * The one place where errors become HTTP: RFC 9457 problem+json with a stable `code`, the title
 * in the caller's language (Accept-Language), and any structured detail (row errors, issues).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DurabilityNotConfirmedError } from '../db';
import { type Lang, langFromAcceptLanguage, maskPans, REFUSALS, Refusal, type RefusalCode } from '../kernel';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: RefusalCode;
  detail?: string;
  instance?: string;
  [extra: string]: unknown;
}

export function problemFor(
  code: RefusalCode,
  lang: Lang,
  detail?: string,
  extra: Record<string, unknown> = {},
): Problem {
  const spec = REFUSALS[code];
  return {
    // Extras add facts; they never replace the problem's own fields (a `status` there once did).
    ...extra,
    type: `urn:tillsafe:problem:${code}`,
    title: lang === 'zh-CN' ? spec.zh : spec.en,
    status: spec.status,
    code,
    // A detail may echo input (an unknown barcode): a card number typed there is not kept.
    ...(detail ? { detail: maskPans(detail) } : {}),
  };
}

export function requestLang(req: FastifyRequest): Lang {
  return langFromAcceptLanguage(req.headers['accept-language']);
}

/** Turns anything thrown into a problem; returns it so idempotency can store it as the first answer. */
export function problemFromError(error: unknown, req: FastifyRequest): Problem {
  const lang = requestLang(req);
  if (error instanceof Refusal)
    return problemFor(error.code, lang, error.detail, { ...error.extra, instance: maskPans(req.url) });
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const issues = error.validation.map((v) => ({
      in: context,
      path: v.instancePath || '/',
      message: v.message,
    }));
    return problemFor(
      'validation_failed',
      lang,
      issues.map((i) => `${i.in}${i.path}: ${i.message}`).join('; '),
      { issues, instance: maskPans(req.url) },
    );
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problemFor('malformed_json', lang, fastifyError.message, { instance: maskPans(req.url) });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problemFor('payload_too_large', lang, undefined, { instance: maskPans(req.url) });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problemFor('unsupported_media_type', lang, req.headers['content-type'], {
        instance: maskPans(req.url),
      });
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400)
    return problemFor('malformed_json', lang, error.message, { instance: maskPans(req.url) });
  if (fastifyError.validation)
    return problemFor('validation_failed', lang, fastifyError.message, { instance: maskPans(req.url) });
  if (fastifyError.statusCode === 413)
    return problemFor('payload_too_large', lang, undefined, { instance: maskPans(req.url) });
  if (fastifyError.statusCode === 415)
    return problemFor('unsupported_media_type', lang, undefined, { instance: maskPans(req.url) });
  if (error instanceof DurabilityNotConfirmedError)
    return problemFor('storage_not_confirmed', lang, undefined, { instance: maskPans(req.url) });
  return problemFor('internal_error', lang, undefined, { instance: maskPans(req.url) });
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}
