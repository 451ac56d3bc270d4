export { MOVEMENT_KINDS, type MovementKind, type MovementRequest, movementDelta } from './model';
export { recordMovement } from './service';
export {
  checkLedger,
  listMovements,
  type MovementView,
  type MovementWrite,
  onHandOf,
  writeMovements,
} from './store';
