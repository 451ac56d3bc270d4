/**
 * What a room needs from a room above it, plugged in at start-up (src/start): the lower room
 * declares the port and calls it, and never imports the room that answers — the import rules of
 * docs/ARCHITECTURE.md hold, and start-up refuses to serve with a port left unplugged.
 */
// biome-ignore lint/suspicious/noExplicitAny: a port holds any function shape; `Parameters` needs `any` here.
export class Port<F extends (...args: any[]) => unknown> {
  /** Every port declared by a module loaded so far: start-up checks that none is left unplugged. */
  static readonly declared: Port<(...args: never[]) => unknown>[] = [];
  #impl: F | null = null;
  constructor(readonly name: string) {
    Port.declared.push(this as unknown as Port<(...args: never[]) => unknown>);
  }

  /** Start-up plugs the answering room in; plugging again replaces it (tests, the simulator). */
  plug(impl: F): void {
    this.#impl = impl;
  }

  get plugged(): boolean {
    return this.#impl !== null;
  }

  /** The plugged function; an unplugged port is a wiring fault, never a silent "nothing to do". */
  get call(): F {
    if (!this.#impl) throw new Error(`port ${this.name} is not plugged in (start-up wires it: src/start)`);
    return this.#impl;
  }
}
