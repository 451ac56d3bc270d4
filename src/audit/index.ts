export { auditHash, type ChainVerdict, GENESIS_HASH, HQ_CHAIN, verifyChain } from './model';
export {
  type AuditEntry,
  type AuditEventView,
  appendAudit,
  listAuditForSale,
  listChains,
  readChain,
} from './store';
