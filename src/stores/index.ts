/** Stores and their tills. Its only door. */
export {
  DEFAULT_TERMS,
  type ReturnTerms,
  setReturnTerms,
  storeReturnTerms,
  termColumns,
} from './return-terms';
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
