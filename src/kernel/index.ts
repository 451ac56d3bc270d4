/** The pure kernel: money (from src/shared), clock, ids, errors and their texts, state machines, ports. Its only door. */
// Money is shared vocabulary (src/shared); services keep reaching it through the kernel.
export {
  allocateProportionally,
  assertFen,
  basisPointsOf,
  DENOMINATIONS_FEN,
  type Denomination,
  displayYuan,
  formatYuan,
  isFen,
  MAX_AMOUNT_FEN,
  parseYuan,
} from '../shared';
export * from './business-day';
export * from './card-data';
export * from './clock';
export * from './errors';
export * from './html';
export * from './i18n';
export * from './ids';
export * from './port';
export * from './state-machine';
