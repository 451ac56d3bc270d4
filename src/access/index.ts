/** Who is calling: sessions, the guard before every route, the permission matrix. Its only door. */
export { registerGuard, STORE_OF } from './guard';
export { describeRule, ROUTE_RULES, ruleKey } from './matrix';
export { accessRoutes } from './routes';
export { checkCredential, endSessionsOf, type SessionView } from './sessions';
