export { DEMO_STORES, SYSTEM_ACTOR, seedDemo } from './demo-seed';
export { DEMO_USERS, type DemoUser, demoUser } from './demo-staff';
export { hasAnyStore, listStores, type StoreView, storeById, type TillView } from './store';
