/** Reconciliation: statement files read as lines, matched with what the tills recorded. Its only door. */
export { RECON_CASE_LIFECYCLE } from './case-model';
export {
  type ReconCaseView,
  reconCaseDetail,
  reconCasesOf,
  reopenReconCase,
  resolveReconCase,
  storeOfReconCase,
} from './cases';
export { importStatementFile } from './readers';
export { reconRoutes } from './routes';
export { type LineProblem, STATEMENT_PROVIDERS, type StatementProvider } from './statement';
export { type ImportSummary, importStatement } from './statement-import';
