#!/usr/bin/env node
// Builds the web till into web/dist. With --if-stale, only when a source file is newer than the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'web', 'dist', 'index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

if (process.argv.includes('--if-stale') && existsSync(built)) {
  const sources = Math.max(
    newest(path.join(root, 'web', 'src')),
    statSync(path.join(root, 'web', 'index.html')).mtimeMs,
  );
  if (statSync(built).mtimeMs >= sources) process.exit(0);
}
console.log('building the web till…');
const result = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
