/**
 * A return (退货) as the sale sees it: in the sale's own transaction, under its lock, the returns
 * room records what came back while this room books its side — the cash given back from the
 * drawer as a refund row, and what returns have given back so far (`returned_fen`), so a void
 * afterwards cannot give the same money back twice.
 */
import type { Ctx } from '../context';
import type { PaymentsTable, SaleLinesTable, SalesTable, Tx } from '../db';
import type { AuditDraft } from './sale-change';
import { mutateSale } from './sale-change';
import { paymentsOf } from './store';
import { insertPayment } from './takings';
import type { SaleView } from './views';

export interface ReturnBooking {
  /** What goes back in cash from the drawer (cash paid, or the store's fallback), fen. */
  cashFen: number;
  /** All the return gives back, by every tender (fen). */
  returnedFen: number;
  /** The return's own events, on the sale's chain. */
  audit: AuditDraft[];
}

export async function returnOnSale(
  ctx: Ctx,
  saleId: string,
  record: (
    tx: Tx,
    sale: SalesTable,
    lines: SaleLinesTable[],
    payments: PaymentsTable[],
  ) => Promise<ReturnBooking>,
): Promise<SaleView> {
  return mutateSale(ctx, saleId, 'return', async (tx, sale, lines) => {
    const booking = await record(tx, sale, lines, await paymentsOf(tx, saleId));
    const cash: AuditDraft[] = [];
    if (booking.cashFen > 0) {
      const id = await insertPayment(tx, ctx, sale, {
        tender: 'cash',
        status: 'refunded',
        amountFen: -booking.cashFen,
        tenderedFen: 0,
        changeFen: 0,
        attemptId: null,
        // From the drawer of the till that takes the return, whichever till sold it.
        tillId: ctx.actor?.tillId ?? null,
      });
      cash.push({
        action: 'payment.refunded',
        entityType: 'payment',
        entityId: id,
        after: { tender: 'cash', amountFen: -booking.cashFen, why: 'return' },
      });
    }
    return {
      saleFields: { returned_fen: sale.returned_fen + booking.returnedFen },
      audit: () => [...booking.audit, ...cash],
    };
  });
}
