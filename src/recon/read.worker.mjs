// The statement reader's thread (read-worker.ts): plain JavaScript that loads the TypeScript
// through tsx, as bin/tillsafe.mjs does, so the thread starts the same under the CLI, the server
// and the tests.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
