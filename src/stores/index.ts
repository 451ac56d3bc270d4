/** Stores and their tills. Its only door. */
export { storeRoutes } from './routes';
export {
  hasAnyStore,
  insertStore,
  listStores,
  requireStore,
  type StoreFacts,
  type StoreView,
  storeById,
  storeFacts,
  type TillFacts,
  type TillView,
  tillById,
  tillsOf,
} from './store';
