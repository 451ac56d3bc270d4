/** The catalog: products and variants, imported from CSV. Its only door. */
export { type CsvEncoding, decodeCsv, parseCatalogCsv } from './csv';
export { demoCatalogCsv } from './demo-catalog';
export {
  barcodeProblem,
  CATALOG_COLUMNS,
  gs1CheckDigit,
  isValidGs1,
  MAX_UNIT_PRICE_FEN,
  validateCatalogRows,
} from './model';
export { catalogRoutes } from './routes';
export { type ImportSummary, importCatalog } from './service';
export { searchVariants, type VariantView, variantByBarcode, variantById, variantExists } from './store';
