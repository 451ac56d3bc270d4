/** The audit trail: hash-chained events, appended in the change's own transaction, searched. Its only door. */
export { auditHash, type ChainVerdict, GENESIS_HASH, HQ_CHAIN, verifyChain } from './model';
export { auditRoutes } from './routes';
export {
  ACTOR_NAMES,
  type AuditHit,
  type AuditQuery,
  chainsFor,
  parseCursor,
  SALE_ID_BY_NUMBER,
  STAFF_ID_BY_CODE,
  searchAudit,
} from './search';
export {
  type AuditEntry,
  type AuditEventView,
  appendAudit,
  historyOf,
  listAuditForSale,
  listChains,
  readChain,
  verifyChains,
} from './store';
