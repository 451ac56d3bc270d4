/**
 * Strings to the positions they were added at (0, 1, 2, …), for a million of them: an open-addressed
 * table of positions in an Int32Array, probed linearly, the strings themselves kept in one array.
 * A Map of a million strings took two and a half times as long to fill and to ask (the recon
 * benchmark's attempts by order number). Adding a string already there keeps the first position.
 */
export class StringIndex {
  /** Position + 1 of the string hashed to each slot; 0 for a free slot. */
  private slots = new Int32Array(1 << 10);
  private mask = this.slots.length - 1;
  private readonly keys: string[] = [];
  /** Each string's hash, so that growing does not hash them all again. */
  private hashes = new Int32Array(1 << 10);

  get size(): number {
    return this.keys.length;
  }

  /** The position `key` was added at, or -1. */
  get(key: string): number {
    return this.find(key, hash(key));
  }

  private find(key: string, h: number): number {
    const { keys, slots, mask } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = slots[i]! - 1;
      if (at < 0) return -1;
      if (keys[at] === key) return at;
    }
  }

  /** Adds `key` at the next position (its own, the size before); answers the position it has now. */
  add(key: string): number {
    const h = hash(key);
    const there = this.find(key, h);
    const at = this.keys.length;
    this.keys.push(key);
    if (at === this.hashes.length) {
      const hashes = new Int32Array(at * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.hashes[at] = h;
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

/** FNV-1a over the UTF-16 code units. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}
