/**
 * A million short strings without a million string objects. TextColumn keeps each as where it is
 * in a longer text (a packed query result holds a whole day's attempts: their ids, order numbers and
 * references are places in it); StringIndex finds them by value. Strings of their own hold their
 * own place. Why: a day's attempts as separate strings were three million objects the garbage
 * collector copied and marked again and again, and a Map of a million strings took two and a half
 * times as long to fill and to ask as this table.
 */

/** Strings by position, each kept as a range of a text. */
export class TextColumn {
  private readonly texts: string[] = [];
  private starts = new Int32Array(1 << 10);
  private ends = new Int32Array(1 << 10);

  get length(): number {
    return this.texts.length;
  }

  /** Adds `text.slice(start, end)` (the whole text by default); answers its position. */
  push(text: string, start = 0, end = text.length): number {
    const at = this.texts.length;
    if (at === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
    }
    this.texts.push(text);
    this.starts[at] = start;
    this.ends[at] = end;
    return at;
  }

  /** The string at `at`, as a string of its own. */
  get(at: number): string {
    return this.texts[at]!.slice(this.starts[at], this.ends[at]);
  }

  isEmpty(at: number): boolean {
    return this.starts[at] === this.ends[at];
  }

  /** Is the string at `at` this one? (Without making it a string.) */
  is(at: number, s: string): boolean {
    const start = this.starts[at]!;
    return this.ends[at]! - start === s.length && this.texts[at]!.startsWith(s, start);
  }

  /** Are the strings at `a` and `b` the same? */
  same(a: number, b: number): boolean {
    const [ta, sa, tb, sb] = [this.texts[a]!, this.starts[a]!, this.texts[b]!, this.starts[b]!];
    const n = this.ends[a]! - sa;
    if (this.ends[b]! - sb !== n) return false;
    for (let i = 0; i < n; i++) if (ta.charCodeAt(sa + i) !== tb.charCodeAt(sb + i)) return false;
    return true;
  }

  hash(at: number): number {
    return hashOf(this.texts[at]!, this.starts[at]!, this.ends[at]!);
  }
}

/**
 * Strings to the positions they were added at (0, 1, 2, …): an open-addressed table of positions
 * in an Int32Array, probed linearly, the strings in a TextColumn. Adding a string already there
 * keeps the first position.
 */
export class StringIndex {
  /** Position + 1 of the string hashed to each slot; 0 for a free slot. */
  private slots = new Int32Array(1 << 10);
  private mask = this.slots.length - 1;
  private readonly keys = new TextColumn();
  /** Each string's hash, so that growing does not hash them all again. */
  private hashes = new Int32Array(1 << 10);

  get size(): number {
    return this.keys.length;
  }

  /** The position `key` was added at, or -1. */
  get(key: string): number {
    return this.find(key, hashOf(key, 0, key.length));
  }

  private find(key: string, h: number): number {
    const { keys, slots, mask } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = slots[i]! - 1;
      if (at < 0) return -1;
      if (keys.is(at, key)) return at;
    }
  }

  /**
   * The first position of the string at `key` (a position already in the column), or -1. Apart
   * from find so that adding makes no string of what it adds: find(keys.get(key)) made a million
   * adds take a fifth longer (0.33 → 0.40 s here).
   */
  private findAt(key: number, h: number): number {
    const { keys, slots, mask } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = slots[i]! - 1;
      if (at < 0) return -1;
      if (keys.same(at, key)) return at;
    }
  }

  /**
   * Adds `text.slice(start, end)` (the whole text by default) at the next position (the size
   * before); answers the position that string has now.
   */
  add(text: string, start = 0, end = text.length): number {
    const at = this.keys.push(text, start, end);
    const h = this.keys.hash(at);
    if (at === this.hashes.length) this.hashes = grown(this.hashes);
    this.hashes[at] = h;
    const there = this.findAt(at, h);
    if (there >= 0) return there;
    // Kept at most half full, so a probe ends soon.
    if (this.keys.length * 2 > this.slots.length) this.grow();
    else this.place(this.slots, this.mask, at);
    return at;
  }

  private place(slots: Int32Array, mask: number, at: number): void {
    let i = this.hashes[at]! & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = at + 1;
  }

  /** Twice the slots, every string placed again (the first position of each). */
  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    const old = this.slots;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.place(slots, mask, old[i]! - 1);
    this.place(slots, mask, this.keys.length - 1);
    this.slots = slots;
    this.mask = mask;
  }
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** FNV-1a over the UTF-16 code units of `s.slice(start, end)`. */
function hashOf(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
