/**
 * The ports and hooks lower rooms call, plugged into the rooms that answer them. Start-up runs it
 * before anything serves; the simulation, which builds its own world, runs it too.
 */
import { endSessionsOf, STORE_OF } from '../access';
import { storeOfApproval } from '../approvals';
import { storeOfDayClose } from '../dayclose';
import { settleSlipOnCompletion, storeOfCase, storeOfSlip, timelineOnDelivery } from '../exceptions';
import { storeOfComplaint } from '../feedback';
import { onNotificationSettled } from '../notify';
import { chargesHoldingTill, storeOfAttempt } from '../payments';
import { storeOfReconCase } from '../recon';
import { onSaleCompleted, storeOfSale, TILL_CHARGES } from '../sales';
import { END_SESSIONS } from '../staff';

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
  for (const port of [TILL_CHARGES, END_SESSIONS, ...Object.values(STORE_OF)])
    if (!port.plugged) throw new Error(`start-up left port ${port.name} unplugged`);
}
