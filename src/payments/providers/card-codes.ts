/**
 * The card terminal's response codes (UnionPay, ISO 8583 based; docs/providers.md, "Card terminal"), each with what it
 * means for the money and its category in the failure taxonomy. Anything not listed — a code the
 * terminal invents, a truncated field — is `unknown`, and is queried, never read as a decline.
 */
import {
  type AnswerOutcome,
  CATEGORY_GUIDANCE,
  type FailureCategory,
  maySameCardRetry,
} from '../failure-taxonomy';

export interface CardCodeMeaning {
  outcome: AnswerOutcome;
  /** null when paid. */
  category: FailureCategory | null;
  /** The issuer asked to keep the card: never try it again, whatever the category's policy says. */
  retainCard?: true;
  /** No reply reached the issuer's side in time: the terminal's host reverses it (冲正). */
  reversalNeeded?: true;
  /** "Duplicate transmission": the request may have been processed — ask, do not resend. */
  queryFirst?: true;
  /** What the code says, for the audit log and the back office (not for the customer). */
  meaning: string;
}

export const CARD_CODES: Readonly<Record<string, CardCodeMeaning>> = {
  '00': { outcome: 'paid', category: null, meaning: 'approved' },
  '10': { outcome: 'paid', category: null, meaning: 'approved (partial amount)' },
  '11': { outcome: 'paid', category: null, meaning: 'approved (VIP)' },
  '01': { outcome: 'failed', category: 'risk_declined', meaning: 'refer to card issuer' },
  '03': { outcome: 'failed', category: 'terminal_fault', meaning: 'invalid merchant' },
  '04': { outcome: 'failed', category: 'risk_declined', retainCard: true, meaning: 'pick up card' },
  '05': { outcome: 'failed', category: 'risk_declined', meaning: 'do not honour' },
  '12': { outcome: 'failed', category: 'restricted', meaning: 'invalid transaction' },
  '13': { outcome: 'failed', category: 'terminal_fault', meaning: 'invalid amount' },
  '14': { outcome: 'failed', category: 'card_unreadable', meaning: 'invalid card number' },
  '30': { outcome: 'failed', category: 'terminal_fault', meaning: 'format error' },
  '41': { outcome: 'failed', category: 'risk_declined', retainCard: true, meaning: 'lost card, pick up' },
  '43': { outcome: 'failed', category: 'risk_declined', retainCard: true, meaning: 'stolen card, pick up' },
  '51': { outcome: 'failed', category: 'insufficient_funds', meaning: 'insufficient funds' },
  '54': { outcome: 'failed', category: 'expired', meaning: 'expired card' },
  '55': { outcome: 'failed', category: 'wrong_pin', meaning: 'incorrect PIN' },
  '57': { outcome: 'failed', category: 'restricted', meaning: 'transaction not permitted to cardholder' },
  '58': { outcome: 'failed', category: 'restricted', meaning: 'transaction not permitted to terminal' },
  '61': { outcome: 'failed', category: 'restricted', meaning: 'exceeds amount limit' },
  '65': { outcome: 'failed', category: 'restricted', meaning: 'exceeds count limit' },
  '75': { outcome: 'failed', category: 'wrong_pin', retainCard: true, meaning: 'PIN tries exceeded' },
  '99': { outcome: 'failed', category: 'wrong_pin', meaning: 'PIN format error (re-enter)' },
  A0: { outcome: 'failed', category: 'terminal_fault', meaning: 'MAC failure: terminal must sign in again' },
  '68': { outcome: 'unknown', category: 'issuer_unavailable', meaning: 'issuer response received too late' },
  '91': { outcome: 'unknown', category: 'issuer_unavailable', meaning: 'issuer or switch inoperative' },
  '96': { outcome: 'unknown', category: 'issuer_unavailable', meaning: 'system malfunction' },
  '98': {
    outcome: 'unknown',
    category: 'issuer_unavailable',
    reversalNeeded: true,
    meaning: 'no reply from issuer: reversal needed',
  },
  '94': { outcome: 'unknown', category: 'network', queryFirst: true, meaning: 'duplicate transmission' },
};

const UNKNOWN_CODE: CardCodeMeaning = {
  outcome: 'unknown',
  category: 'unknown',
  meaning: 'unknown response code',
};

/** What a response code means; an unknown or malformed code is an unknown outcome, to be queried. */
export function classifyCardCode(code: string | null | undefined): CardCodeMeaning & { code: string | null } {
  const key = typeof code === 'string' ? code.trim().toUpperCase() : null;
  const known = key !== null && Object.hasOwn(CARD_CODES, key) ? CARD_CODES[key] : undefined;
  return { ...(known ?? UNKNOWN_CODE), code: key };
}

/**
 * May the cashier try this card again after this answer? A retained card never; otherwise its
 * category's policy, given how often this sale already met this category on this card.
 */
export function mayTryCardAgain(
  meaning: CardCodeMeaning,
  earlierFailuresOfThisKind: number,
  terminalSignedIn: boolean,
): boolean {
  if (meaning.outcome !== 'failed' || meaning.retainCard || !meaning.category) return false;
  return maySameCardRetry(
    CATEGORY_GUIDANCE[meaning.category].retry,
    earlierFailuresOfThisKind,
    terminalSignedIn,
  );
}
