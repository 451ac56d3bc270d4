/**
 * The card scenarios of docs/scenarios.md as scripts for the sandbox terminal: each names what the
 * terminal and its acquirer will do with the next requests. Tests run them as acceptance tests;
 * training mode will run them as drills; `POST /control/scenario {"name"}` loads one.
 */
import type { TerminalFault } from './card-terminal';

export interface CardScenario {
  /** The row of docs/scenarios.md it plays. */
  scenario: number;
  title: string;
  faults: readonly TerminalFault[];
}

export const CARD_SCENARIOS = {
  'insufficient-funds': {
    scenario: 1,
    title: 'card declined: insufficient funds (51)',
    faults: [{ kind: 'decline', code: '51' }],
  },
  'card-unreadable': {
    scenario: 2,
    title: 'card unreadable (14): one more try reads it',
    faults: [{ kind: 'decline', code: '14' }],
  },
  'wrong-pin': {
    scenario: 3,
    title: 'wrong PIN (55) twice: no third try',
    faults: [
      { kind: 'decline', code: '55' },
      { kind: 'decline', code: '55' },
    ],
  },
  'terminal-offline': {
    scenario: 4,
    title: 'terminal offline before anything is sent',
    faults: [{ kind: 'offline', requests: 1 }],
  },
  'lost-after-money': {
    scenario: 5,
    title: 'connection lost after the money moved',
    faults: [{ kind: 'lose_answer_after_money' }],
  },
  'lost-before-money': {
    scenario: 6,
    title: 'connection lost before the money moved',
    faults: [{ kind: 'lose_answer_before_money' }],
  },
  'issuer-timeout': {
    scenario: 8,
    title: 'issuer unavailable (98): the host reverses it',
    faults: [{ kind: 'issuer_timeout' }],
  },
  'answer-later': {
    scenario: 5,
    title: 'connection lost after the money moved; the terminal sends the answer a moment later',
    faults: [{ kind: 'answer_later', ms: 300 }],
  },
  'duplicate-answers': {
    scenario: 12,
    title: 'the answer, then two more copies of it, unasked',
    faults: [{ kind: 'duplicate_answer', copies: 2 }],
  },
  'out-of-order': {
    scenario: 12,
    title: 'the answer, then a copy, then a stale “still at the PIN pad”',
    faults: [{ kind: 'out_of_order' }],
  },
  'never-final': {
    scenario: 8,
    title: 'no final answer by the deadline: reversed',
    faults: [{ kind: 'in_progress', queries: 10_000, outcome: 'approve' }],
  },
} as const satisfies Record<string, CardScenario>;

export type CardScenarioName = keyof typeof CARD_SCENARIOS;

export function isCardScenario(name: string): name is CardScenarioName {
  return Object.hasOwn(CARD_SCENARIOS, name);
}
