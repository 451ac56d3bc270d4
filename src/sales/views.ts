/** The shapes a sale is read as, by the API and the web till alike. */
import type { BookedTender } from '../shared';
import type { Discount, SaleStatus } from './model';
import type { SaleAction } from './sale-actions';

export interface SaleLineView {
  id: string;
  lineNo: number;
  variantId: string;
  sku: string;
  barcode: string;
  nameZh: string;
  nameEn: string;
  size: string;
  colourZh: string;
  colourEn: string;
  unitPriceFen: number;
  qty: number;
  discount: Discount | null;
  grossFen: number;
  lineDiscountFen: number;
  saleDiscountShareFen: number;
  totalFen: number;
  /** On-hand in the sale's store now (after completion, it includes this sale). */
  onHand: number;
}

export interface PaymentView {
  id: string;
  tender: BookedTender;
  status: string;
  amountFen: number;
  tenderedFen: number;
  changeFen: number;
  createdAt: string;
}

export interface SaleView {
  id: string;
  storeId: string;
  tillId: string;
  number: string;
  status: SaleStatus;
  cashierId: string;
  currency: string;
  lines: SaleLineView[];
  saleDiscount: Discount | null;
  subtotalFen: number;
  lineDiscountFen: number;
  saleDiscountFen: number;
  totalFen: number;
  paidFen: number;
  dueFen: number;
  changeFen: number;
  payments: PaymentView[];
  version: number;
  openedAt: string;
  completedAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  /** What returns of it gave back so far (fen). */
  returnedFen: number;
  /** What the till may offer for it now (sale-actions.ts): the till enables these and no other. */
  allowed: SaleAction[];
}

export function discountFromColumns(kind: string | null, value: number | null): Discount | null {
  if (kind === 'amount' && value !== null) return { kind: 'amount', fen: value };
  if (kind === 'percent' && value !== null) return { kind: 'percent', basisPoints: value };
  return null;
}

export function discountToColumns(discount: Discount | null): { kind: string | null; value: number | null } {
  if (!discount) return { kind: null, value: null };
  return discount.kind === 'amount'
    ? { kind: 'amount', value: discount.fen }
    : { kind: 'percent', value: discount.basisPoints };
}
