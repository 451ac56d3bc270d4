/** Stores and their tills. Its only door. */
export { storeRoutes } from './routes';
export { hasAnyStore, listStores, type StoreView, storeById, type TillView } from './store';
