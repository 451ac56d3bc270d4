/** Approvals: a guarded change waits for a higher role's grant, spent once in the change's own transaction. Its only door. */

export { APPROVAL_LIFECYCLE } from './model';
export { approvalRoutes } from './routes';
export type { ApprovalView } from './service';
export { SALE_NUMBERS, type SpentApproval, STORE_OF_SALE, spendApproval, storeOfApproval } from './service';
