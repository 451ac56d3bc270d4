/** Every request carries the signed-in person (or null), set by the access guard before any handler. */

import type { Actor } from '../context';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}
