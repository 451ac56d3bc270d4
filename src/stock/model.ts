/**
 * Stock is a ledger: every change is a movement with a signed quantity, and the on-hand figure is
 * the sum of movements (kept alongside as a cache, and checked against the ledger). `reserve` and
 * `release` set goods aside and give them back (a parked sale, a slip whose goods the store
 * holds): they move the reserved figure, never on-hand, which is checked the same way.
 */
export const MOVEMENT_KINDS = ['receive', 'sale', 'return', 'adjust', 'count', 'reserve', 'release'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const RESERVATION_KINDS: ReadonlySet<MovementKind> = new Set(['reserve', 'release']);

export const MAX_MOVEMENT_QTY = 100_000;

export type MovementRequest =
  | { kind: 'receive' | 'return' | 'sale'; qty: number }
  | { kind: 'adjust'; delta: number }
  | { kind: 'count'; counted: number };

/** The signed change a movement makes, given the on-hand figure before it (only `count` needs it). */
export function movementDelta(request: MovementRequest, onHandBefore: number): number {
  switch (request.kind) {
    case 'receive':
    case 'return':
      return request.qty;
    case 'sale':
      return -request.qty;
    case 'adjust':
      return request.delta;
    case 'count':
      return request.counted - onHandBefore;
  }
}

export function movementProblem(request: MovementRequest): string | null {
  const bounded = (n: number) => Number.isInteger(n) && Math.abs(n) <= MAX_MOVEMENT_QTY;
  switch (request.kind) {
    case 'receive':
    case 'return':
    case 'sale':
      return bounded(request.qty) && request.qty > 0 ? null : `quantity must be 1 to ${MAX_MOVEMENT_QTY}`;
    case 'adjust':
      return bounded(request.delta) && request.delta !== 0 ? null : 'an adjustment must change the quantity';
    case 'count':
      return bounded(request.counted) && request.counted >= 0 ? null : 'a count cannot be negative';
  }
}

export interface LedgerDrift {
  storeId: string;
  variantId: string;
  ledgerSum: number;
  onHand: number | null;
  lastOnHandAfter: number | null;
  /** The reservation movements' sum and the cached reserved figure (0 when none). */
  reservedSum?: number;
  reserved?: number | null;
}

/**
 * One row of the check: the ledger's sum, the cached on-hand, the last movement's running figure;
 * and the reservations' sum against the cached reserved figure, which may never be negative.
 */
export function findDrift(row: LedgerDrift): LedgerDrift | null {
  const onHand = row.onHand ?? 0;
  const reserved = row.reserved ?? 0;
  const agrees =
    row.ledgerSum === onHand &&
    (row.lastOnHandAfter === null || row.lastOnHandAfter === onHand) &&
    (row.reservedSum ?? 0) === reserved &&
    reserved >= 0;
  return agrees ? null : row;
}
