/**
 * The ports and hooks lower rooms call, plugged into the rooms that answer them. Start-up runs it
 * before anything serves; the simulation, which builds its own world, runs it too.
 */
import { endSessionsOf } from '../access';
import { settleSlipOnCompletion, timelineOnDelivery } from '../exceptions';
import { onNotificationSettled } from '../notify';
import { chargesHoldingTill } from '../payments';
import { onSaleCompleted, TILL_CHARGES } from '../sales';
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
  for (const port of [TILL_CHARGES, END_SESSIONS])
    if (!port.plugged) throw new Error(`start-up left port ${port.name} unplugged`);
}
