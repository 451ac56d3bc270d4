import { describe, expect, it } from 'vitest';
import { ROOM_ORDER, rankOf, SINGLE_FILE_ROOMS, WEB_MAY_IMPORT } from './rooms';
import { type ImportEdge, importsOf, isDoor, roomOf, sourceFiles } from './source-files';

const files = sourceFiles();
const edges = files.flatMap(importsOf);
const srcRooms = [...new Set(files.filter((f) => f.path.startsWith('src/')).map((f) => roomOf(f.path).room))];
const show = (e: ImportEdge) => `${e.from} → ${e.spec}`;

describe('rooms and doors', () => {
  it('places every room of src/ in the declared order', () => {
    const unplaced = srcRooms.filter((room) => room !== 'api-shapes' && rankOf(room) < 0);
    expect(unplaced).toEqual([]);
    expect(ROOM_ORDER.flat().filter((room) => !srcRooms.includes(room))).toEqual([]);
  });

  it('gives every room that is a folder a door (index.ts)', () => {
    const folders = srcRooms.filter((room) => !SINGLE_FILE_ROOMS.has(room));
    const doorless = folders.filter((room) => !files.some((f) => f.path === `src/${room}/index.ts`));
    expect(doorless).toEqual([]);
  });

  it('enters another room of src/ only through its door', () => {
    const deep = edges.filter((e) => {
      const from = roomOf(e.from);
      const to = roomOf(e.to);
      return from.side === 'src' && to.side === 'src' && from.room !== to.room && !isDoor(e.to);
    });
    expect(deep.map(show)).toEqual([]);
  });

  it('imports only rooms below its own (no cycles, no upward imports)', () => {
    const upward = edges.filter((e) => {
      const from = roomOf(e.from);
      const to = roomOf(e.to);
      if (from.side !== 'src' || to.side !== 'src' || from.room === to.room) return false;
      if (from.room === 'api-shapes') return !e.typeOnly;
      return rankOf(to.room) >= rankOf(from.room);
    });
    expect(upward.map(show)).toEqual([]);
  });

  it('keeps the API shapes module types only', () => {
    const shapes = files.find((f) => f.path === 'src/api-shapes.ts');
    expect(shapes).toBeDefined();
    expect(
      importsOf(shapes!)
        .filter((e) => !e.typeOnly)
        .map(show),
    ).toEqual([]);
    // Nothing but comments, blank lines and type exports or imports.
    const code = shapes!.text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('//'));
    expect(code.filter((l) => !/^\s*(export type|import type|[}\w,\s]+[,}]|\s*\}\s*from)/.test(l))).toEqual(
      [],
    );
  });

  it('lets the web till import from src/ only the API shapes (types) and the shared vocabulary', () => {
    const bad = edges.filter((e) => {
      if (roomOf(e.from).side !== 'web' || roomOf(e.to).side !== 'src') return false;
      if (e.to === WEB_MAY_IMPORT.typesOnly) return !e.typeOnly;
      return !(WEB_MAY_IMPORT.values as readonly string[]).includes(e.to);
    });
    expect(bad.map(show)).toEqual([]);
  });

  it('keeps the shared vocabulary free of Node.js and of the rest of src/', () => {
    const shared = files.filter((f) => f.path.startsWith('src/shared/'));
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.filter((f) => /from\s+['"]node:/.test(f.text)).map((f) => f.path)).toEqual([]);
  });
});
