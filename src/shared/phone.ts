/** Phone numbers in China as a customer gives them, and as staff may see them. Pure. */

/**
 * A customer's phone as the store writes it down: a mainland mobile (11 digits starting 13–19,
 * with or without +86 / 0086), or a landline with its area code (0 + 2–3 digits, then 7–8).
 * Spaces and dashes are ignored. Returns the number normalised (`+8613812345678`,
 * `+86-21-62880001`), or null when it is none of those.
 */
export function normalizePhone(text: string): string | null {
  const compact = text.trim().replace(/[\s-]/g, '');
  if (compact.length === 0 || compact.length > 20) return null;
  const stripped = compact.replace(/^(\+86|0086)/, '');
  if (/^1[3-9]\d{9}$/.test(stripped)) return `+86${stripped}`;
  // After +86 a landline drops its leading 0 (`+86-21-…`, as we write it ourselves).
  const national = stripped !== compact && !stripped.startsWith('0') ? `0${stripped}` : stripped;
  // The big cities (010, 02x) have two-digit area codes and eight-digit numbers; elsewhere three
  // digits (starting 3–9) and seven or eight.
  const city = /^0(10|2\d)(\d{8})$/.exec(national);
  if (city) return `+86-${city[1]}-${city[2]}`;
  const region = /^0([3-9]\d{2})(\d{7,8})$/.exec(national);
  if (region) return `+86-${region[1]}-${region[2]}`;
  return null;
}

/** Shown to staff and printed on the slip: the middle digits masked (personal data, PIPL). */
export function maskPhone(normalized: string): string {
  const digits = normalized.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${normalized.slice(0, normalized.length - 8)}****${normalized.slice(-4)}`;
}
