/** Staff: people, roles, PINs and passwords, the sign-in throttle. Its only door. */
export {
  DEFAULT_SCRYPT_COST,
  hashSecret,
  needsRehash,
  type ScryptCost,
  verifySecret,
} from './credentials';
export * from './model';
export { staffRoutes } from './routes';
export { createStaff, END_SESSIONS, hashNewSecrets } from './service';
export type { StaffView } from './store';
export {
  approversAt,
  clientsGuessing,
  clientThrottleOf,
  firstCashierOf,
  insertStaffRows,
  memberOf,
  nameOf,
  namesOf,
  newStaffRow,
  STAFF_BY_CODE,
  STAFF_BY_ID,
  STAFF_LOCKED,
  type StaffRow,
  saveClientThrottle,
  saveThrottle,
  staffIdByCode,
  storeOfStaff,
  throttleOf,
} from './store';
