/** What a capability's routes file needs from the HTTP layer, and nothing more. */
import { z } from 'zod';
import type { Ctx } from '../context';
import { maskPans } from '../kernel';

export interface RouteDeps {
  ctx: Ctx;
  /** The address customers reach (receipt QR codes point here); known once the server listens. */
  publicUrl: () => string;
}

export { answerMutation, runMutation } from './idempotency';
export { problemFor, requestLang } from './problem';

export const idParam = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, dash or underscore');
/**
 * Text a person types (reasons, notes, names): trimmed, bounded, and any card number in it masked
 * before it can be stored or echoed (src/kernel/card-data.ts).
 */
export const freeText = (max: number) => z.string().trim().min(1).max(max).overwrite(maskPans);

export const langQuery = z.enum(['zh-CN', 'en']).optional();
export const limitQuery = z.coerce.number().int().min(1).max(200).default(50);

/** Documents the Idempotency-Key header on every mutating route. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .describe('Chosen by the client; a retry with the same key returns the first answer.'),
});
