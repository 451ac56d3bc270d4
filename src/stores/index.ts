/** Stores and their tills. Its only door. */
export { storeRoutes } from './routes';
export { hasAnyStore, insertStore, listStores, type StoreView, storeById, type TillView } from './store';
