/** The customer's pay-later page: what its secret opens, and the payment made from it. */
import { type Ctx, CUSTOMER_ACTOR_PREFIX } from '../context';
import type { PaymentAttemptsTable, SlipsTable, Tx } from '../db';
import { type Lang, Refusal } from '../kernel';
import { attemptsOfSale, attemptView, type PaymentRuntime, startCharge } from '../payments';
import { readSale } from '../sales';

/** The slip a pay-later page's secret opens; a secret we never issued is refused, never guessed at. */
async function slipByToken(db: Tx, payToken: string): Promise<SlipsTable> {
  const slip = await db.selectFrom('slips').selectAll().where('pay_token', '=', payToken).executeTakeFirst();
  if (!slip) throw new Refusal('slip_unknown');
  return slip;
}

/** What the customer's page may know of its slip: nothing personal, only what is due and how paying goes. */
export interface PayLaterState {
  status: string;
  dueFen: number;
  attempt: { status: string; tellCustomer: string | null } | null;
}

export async function payLaterState(ctx: Ctx, payToken: string, lang: Lang): Promise<PayLaterState> {
  const db = ctx.db.kysely;
  const slip = await slipByToken(db, payToken);
  const sale = await readSale(db, slip.sale_id);
  if (!sale) throw new Error(`invariant: slip ${slip.number} without its sale`);
  // The newest payment attempt of the sale (attemptsOfSale answers oldest first).
  const last = (await attemptsOfSale(db, slip.sale_id)).filter((a) => a.kind === 'payment').at(-1);
  const view = last ? await attemptView(db, last, lang) : null;
  return {
    // The customer's proof is being checked against the statement: the page takes no payment.
    status: sale.status === 'awaiting_statement' ? 'awaiting_statement' : slip.status,
    dueFen: sale.dueFen,
    attempt: view ? { status: view.status, tellCustomer: view.guidance?.tellCustomer ?? null } : null,
  };
}

/**
 * The customer pays the slip from its page, through a wallet, for all that is still due. The page's
 * secret is the key; the customer acts as themselves (not as any staff member), recorded so. Runs
 * in the caller's idempotent transaction; the caller drives the attempt once it has committed.
 */
export async function payLater(
  ctx: Ctx,
  runtime: PaymentRuntime,
  input: { payToken: string; wallet: 'alipay' | 'wechat'; paymentCode: string },
): Promise<PaymentAttemptsTable> {
  const db = ctx.db.kysely;
  const slip = await slipByToken(db, input.payToken);
  if (slip.status !== 'issued') throw new Refusal('slip_not_open');
  const sale = await readSale(db, slip.sale_id);
  if (!sale || sale.dueFen <= 0) throw new Refusal('slip_not_open');
  const customer: Ctx = {
    ...ctx,
    actor: {
      staffId: `${CUSTOMER_ACTOR_PREFIX}${slip.id}`,
      name: slip.customer_name,
      role: 'cashier', // the lowest rights; the route itself is the customer's, not a till's
      storeId: slip.store_id,
      surface: 'till',
      tillId: sale.tillId, // the wallet charge is booked to the till that issued the slip
      sessionId: 'pay-later',
    },
  };
  return startCharge(customer, runtime, {
    saleId: sale.id,
    tender: input.wallet,
    amountFen: sale.dueFen,
    paymentCode: input.paymentCode,
  });
}

/** The sale of a slip's pay-later secret, or null (feedback asks: a rating from the slip's page). */
export async function saleOfPayToken(db: Tx, payToken: string): Promise<string | null> {
  const slip = await db
    .selectFrom('slips')
    .select('sale_id')
    .where('pay_token', '=', payToken)
    .executeTakeFirst();
  return slip?.sale_id ?? null;
}
