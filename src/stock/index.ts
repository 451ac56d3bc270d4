/** Stock: the ledger of movements, on-hand and reserved per store and item. Its only door. */
export { MOVEMENT_KINDS, type MovementKind, type MovementRequest, movementDelta } from './model';
export { stockRoutes } from './routes';
export { recordMovement, VARIANT_EXISTS } from './service';
export {
  checkLedger,
  levelsOf,
  listMovements,
  type MovementView,
  type MovementWrite,
  onHandOf,
  writeMovements,
} from './store';
