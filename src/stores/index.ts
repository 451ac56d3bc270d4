export { DEMO_STORES, SYSTEM_ACTOR, seedDemo } from './demo-seed';
export { hasAnyStore, listStores, type StoreView, storeById, type TillView } from './store';
