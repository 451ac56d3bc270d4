export { auditHash, type ChainVerdict, GENESIS_HASH, HQ_CHAIN, verifyChain } from './model';
export { type AuditHit, type AuditQuery, chainsFor, parseCursor, searchAudit } from './search';
export {
  type AuditEntry,
  type AuditEventView,
  appendAudit,
  listAuditForSale,
  listChains,
  readChain,
  verifyChains,
} from './store';
