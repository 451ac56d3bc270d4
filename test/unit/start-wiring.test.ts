import { describe, expect, it } from 'vitest';
import { Port } from '../../src/kernel';
import { wireRooms } from '../../src/start';

describe('start-up wiring', () => {
  it('plugs every port the rooms declare', () => {
    wireRooms();
    expect(Port.declared.length).toBeGreaterThan(10);
    expect(Port.declared.filter((p) => !p.plugged).map((p) => p.name)).toEqual([]);
  });

  it('refuses to start with a port left unplugged, naming it', () => {
    const stray = new Port<() => void>('test.stray');
    expect(() => wireRooms()).toThrow(/test\.stray/);
    expect(() => stray.call).toThrow(/not plugged in/);
    stray.plug(() => undefined);
    expect(() => wireRooms()).not.toThrow();
  });
});
