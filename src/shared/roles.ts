/**
 * Roles and the actions only a higher role may grant: the vocabulary of who may do what, pure, shared
 * by the server's rules and the till's screens.
 */

/** Ranked low to high: a role can do what the roles below it can. */
export const ROLES = ['cashier', 'supervisor', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

export function atLeast(role: Role, minimum: Role): boolean {
  return roleRank(role) >= roleRank(minimum);
}

/** Actions a cashier may ask for but never grant themselves: each needs an approver's PIN. */
export const GUARDED_ACTIONS = {
  void_after_payment: 'manager',
  refund: 'supervisor',
  price_override: 'supervisor',
  discount_over_limit: 'supervisor',
  manual_confirmation: 'manager',
  write_off: 'manager',
  second_charge_override: 'manager',
  /** Change of a largest banknote or more from cash (a mistyped amount tendered, or a lot handed over). */
  large_change: 'supervisor',
  /** A return's money no provider will take back (outside its window, its limit): cash from the drawer. */
  return_cash_fallback: 'manager',
  /** A return without the receipt where the store asks for one: cash only, up to the policy's limit. */
  return_without_receipt: 'manager',
} as const satisfies Record<string, Role>;
export type GuardedAction = keyof typeof GUARDED_ACTIONS;

/** Who may create, change or disable whom: only roles below one's own; an admin manages everyone. */
export function canManage(actorRole: Role, targetRole: Role): boolean {
  return actorRole === 'admin' || roleRank(targetRole) < roleRank(actorRole);
}
