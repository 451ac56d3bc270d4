/** Column arithmetic for fixed-width printers: CJK and full-width characters take two columns. */

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return width;
}

/** Splits text into rows of at most `width` columns, never cutting a character in half. */
export function wrap(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  let used = 0;
  for (const ch of text) {
    const w = isWide(ch.codePointAt(0)!) ? 2 : 1;
    if (used + w > width) {
      rows.push(row.trimEnd());
      row = '';
      used = 0;
      if (ch === ' ') continue;
    }
    row += ch;
    used += w;
  }
  if (row.length > 0 || rows.length === 0) rows.push(row.trimEnd());
  return rows;
}

/** `left` and `right` on one row of `width` columns; the left side is cut if both do not fit. */
export function twoColumns(left: string, right: string, width: number): string {
  const rightWidth = displayWidth(right);
  let leftText = left;
  while (displayWidth(leftText) + rightWidth + 1 > width && leftText.length > 0)
    leftText = [...leftText].slice(0, -1).join('');
  const gap = Math.max(1, width - displayWidth(leftText) - rightWidth);
  return `${leftText}${' '.repeat(gap)}${right}`;
}

export function centre(text: string, width: number): string {
  const pad = Math.max(0, Math.floor((width - displayWidth(text)) / 2));
  return `${' '.repeat(pad)}${text}`;
}
