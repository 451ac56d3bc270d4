/**
 * The vocabulary the server and the web till share: money, roles, phone numbers, wallet codes.
 * Pure and browser-safe (no Node.js): the till imports it as it is, so a rule it shows is the
 * server's own. Its only door.
 */

export * from './kinds';
export * from './money';
export * from './phone';
export * from './return-policy';
export * from './roles';
export * from './statuses';
export * from './wallet-code';
