/** The audit trail: hash-chained events, appended in the change's own transaction, searched. Its only door. */
export { auditHash, type ChainVerdict, GENESIS_HASH, HQ_CHAIN, verifyChain } from './model';
export { auditRoutes } from './routes';
export { type AuditHit, type AuditQuery, chainsFor, parseCursor, searchAudit } from './search';
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
