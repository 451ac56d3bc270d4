/**
 * Start-up, the composition room: it opens the database, wires the capabilities together (the
 * payment runtime with its sandboxes, the hooks rooms below call, the HTTP server with every
 * room's routes) and serves. Nothing imports it but the CLI (`start/cli.ts`), tests and benches.
 */
export { DEMO_STORES, SYSTEM_ACTOR, seedDemo } from './demo-seed';
export { DEMO_USERS, type DemoUser, demoUser } from './demo-staff';
export { buildServer, type ServerOptions } from './http-server';
export { LIFECYCLES, validateLifecycles } from './lifecycles';
export {
  type PaymentOptions,
  type PaymentSetup,
  type ProviderKind,
  type ProvidersServing,
  SANDBOX_ALIPAY_APP_ID,
  SANDBOX_WECHAT,
  servingLines,
  setUpPayments,
  terminalsFromEnv,
} from './payment-runtime';
export {
  PROJECT_ROOT,
  prepareContext,
  type RunningStore,
  type StartOptions,
  startStore,
  validateStateMachines,
} from './store-server';
export { wireRooms } from './wiring';
