/**
 * The ports and hooks lower rooms call, plugged into the rooms that answer them. Start-up runs it
 * before anything serves; the simulation, which builds its own world, runs it too.
 */
import { endSessionsOf, STORE_OF } from '../access';
import { SALE_NUMBERS, STORE_OF_SALE, storeOfApproval } from '../approvals';
import { ACTOR_NAMES, SALE_ID_BY_NUMBER, STAFF_ID_BY_CODE } from '../audit';
import { variantExists } from '../catalog';
import { isTillDayClosed, storeOfDayClose } from '../dayclose';
import {
  saleOfPayToken,
  settleSlipOnCompletion,
  storeOfCase,
  storeOfSlip,
  timelineOnDelivery,
} from '../exceptions';
import { SALE_OF_PAY_TOKEN, storeOfComplaint } from '../feedback';
import { Port } from '../kernel';
import { onNotificationSettled } from '../notify';
import { chargesHoldingTill, storeOfAttempt } from '../payments';
import { storeOfReconCase } from '../recon';
import {
  onSaleCompleted,
  saleByNumber,
  saleNumbers,
  storeOfSale,
  TILL_CHARGES,
  TILL_DAY_CLOSED,
} from '../sales';
import { END_SESSIONS, namesOf, staffIdByCode } from '../staff';
import { VARIANT_EXISTS } from '../stock';

export function wireRooms(): void {
  // A sale on account that completes settles its slip, in the completion's own transaction.
  onSaleCompleted(settleSlipOnCompletion);
  // What the notifier sent, or gave up on, goes on the case timeline, in the same transaction.
  onNotificationSettled(timelineOnDelivery);
  // A till is held while a charge of its sale may still take the money: payments knows which.
  TILL_CHARGES.plug(chargesHoldingTill);
  // A person disabled, demoted or removed stops being signed in at once.
  END_SESSIONS.plug(endSessionsOf);
  // The access guard scopes a request by the store of what its path names: each owner says.
  STORE_OF.sale.plug(storeOfSale);
  STORE_OF.attempt.plug(storeOfAttempt);
  STORE_OF.approval.plug(storeOfApproval);
  STORE_OF.slip.plug(storeOfSlip);
  STORE_OF.case.plug(storeOfCase);
  STORE_OF.complaint.plug(storeOfComplaint);
  STORE_OF.recon_case.plug(storeOfReconCase);
  STORE_OF.day_close.plug(storeOfDayClose);
  // Rooms that stand below the owner of what they need to know ask through a port.
  TILL_DAY_CLOSED.plug(isTillDayClosed);
  VARIANT_EXISTS.plug(variantExists);
  SALE_OF_PAY_TOKEN.plug(saleOfPayToken);
  STORE_OF_SALE.plug(storeOfSale);
  SALE_NUMBERS.plug(saleNumbers);
  ACTOR_NAMES.plug(namesOf);
  STAFF_ID_BY_CODE.plug(staffIdByCode);
  SALE_ID_BY_NUMBER.plug(async (db, number) => (await saleByNumber(db, number))?.id ?? null);
  // Every port the rooms declared (their modules are all loaded by now): none may be left unplugged.
  const unplugged = Port.declared.filter((port) => !port.plugged).map((port) => port.name);
  if (unplugged.length > 0) throw new Error(`start-up left ports unplugged: ${unplugged.join(', ')}`);
}
