/**
 * The source tree as the architecture tests read it: every file of src/ and web/src/ with the
 * relative imports it makes, each resolved to a file and a room (the folder under src/ or web/src/).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SRC = path.join(ROOT, 'src');
export const WEB = path.join(ROOT, 'web', 'src');

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
  lines: number;
}

export interface ImportEdge {
  from: string;
  /** The file the import resolves to, relative to the repository root, without its extension. */
  to: string;
  spec: string;
  /** `import type` / `export type`: erased at build time. */
  typeOnly: boolean;
}

const CODE = /\.(ts|tsx|mjs)$/;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (CODE.test(name)) out.push(full);
  }
  return out;
}

const rel = (abs: string) => path.relative(ROOT, abs).split(path.sep).join('/');

export function sourceFiles(): SourceFile[] {
  return [...walk(SRC, []), ...walk(WEB, [])].sort().map((abs) => {
    const text = readFileSync(abs, 'utf8');
    return { path: rel(abs), text, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
  });
}

// Static imports and re-exports (`import … from`, `export … from`, bare `import '…'`) and dynamic `import('…')`.
const STATIC = /(?:^|\n)[ \t]*(import|export)(\s+type)?\b([^'";]*?\bfrom\s*)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: SourceFile): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const resolve = (spec: string) =>
    rel(path.resolve(path.dirname(path.join(ROOT, file.path)), spec)).replace(/\.(ts|tsx|mjs)$/, '');
  for (const m of file.text.matchAll(STATIC)) {
    const spec = m[4] ?? '';
    if (!spec.startsWith('.')) continue;
    // `import { type A, type B }` is type-only too when every name in braces is marked.
    const names = m[3] ?? '';
    const allTyped =
      /^\s*\{[^}]*\}\s*from\s*$/.test(names) &&
      names
        .replace(/[{}\s]|from/g, '')
        .split(',')
        .filter(Boolean)
        .every((n) => n.startsWith('type'));
    edges.push({ from: file.path, to: resolve(spec), spec, typeOnly: Boolean(m[2]) || allTyped });
  }
  for (const m of file.text.matchAll(DYNAMIC)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('.')) edges.push({ from: file.path, to: resolve(spec), spec, typeOnly: false });
  }
  return edges;
}

/** The room a path (relative to the root) lives in: `src/sales/service` → `sales`; `src/context` → `context`. */
export function roomOf(p: string): { side: 'src' | 'web' | 'other'; room: string } {
  const parts = p.split('/');
  if (parts[0] === 'src') return { side: 'src', room: (parts[1] ?? '').replace(/\.(ts|tsx|mjs)$/, '') };
  if (parts[0] === 'web' && parts[1] === 'src')
    return { side: 'web', room: (parts[2] ?? '').replace(/\.(ts|tsx|mjs)$/, '') };
  return { side: 'other', room: parts[0] ?? '' };
}

/** Whether an import names a room's door: `src/sales` or `src/sales/index`. */
export function isDoor(to: string): boolean {
  const parts = to.split('/');
  return parts.length === 2 || (parts.length === 3 && parts[2] === 'index');
}
