// The till formats and parses money with the server's own helpers: one definition of a fen.
export { displayYuan, formatYuan, parseYuan } from '../../src/shared';
