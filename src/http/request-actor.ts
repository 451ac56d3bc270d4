/** Every request carries the signed-in person (or null), set by src/access/guard.ts before any handler. */

import type { SessionView } from '../access/sessions';
import type { Actor } from '../context';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionView | null;
  }
}
