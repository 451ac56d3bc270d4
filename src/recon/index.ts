/** Reconciliation: statement files read as lines, matched with what the tills recorded. Its only door. */

export { RECON_CASE_LIFECYCLE } from './case-model';
export {
  type ReconCaseView,
  reconCaseDetail,
  reconCasesOf,
  reopenReconCase,
  resolveReconCase,
} from './cases';
export {
  type AwaitingProof,
  CANDIDATE_WINDOW_MS,
  CASE_KINDS,
  type Candidate,
  type CaseDetail,
  type CaseKind,
  countCases,
  ExactSplit,
  type FoundCase,
  type MatchedLine,
  type MatchResult,
  matchStatement,
  onSightOf,
  type RecordedAttempt,
  splitExact,
} from './matcher';
export { type AttemptSource, LinePairing, type PairingResult } from './pairing';
export { alipayParser } from './parse-alipay';
export { CARD_COLUMNS, cardParser } from './parse-card';
export { wechatParser } from './parse-wechat';
export {
  type PairedRead,
  parseStatementBytes,
  parseStatementFile,
  readPaired,
  readStatementBytes,
  readStatementFile,
  readStatementInThread,
  StatementFileError,
  type StatementRead,
  THREAD_FROM_BYTES,
} from './read-file';
export { bytesReader, fileReader, importStatementFile } from './readers';
export { reconRoutes } from './routes';
export {
  CsvCells,
  chinaTimeToIso,
  fromWire,
  type LineError,
  type LineKind,
  type LineProblem,
  lineError,
  type ParsedStatement,
  providerDay,
  readCells,
  reasonOf,
  STATEMENT_PROVIDERS,
  type StatementLine,
  type StatementProvider,
  splitCsvLine,
  toWire,
  utf8BytesOf,
  WIRE_AT,
  WIRE_WIDTH,
  yuanCellToFen,
  yuanCellToMilliFen,
} from './statement';
export {
  type ImportPhase,
  type ImportSummary,
  importStatement,
  type StatementReader,
} from './statement-import';
export { readZip, ZipError } from './zip-read';
