#!/usr/bin/env node
/**
 * `npm test`: lint and format check, type check, then the whole suite (unit, integration on
 * SQLite and — with TEST_DATABASE_URL — PostgreSQL, e2e in Chromium). Ends with the plain
 * summary line CI reads: `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (label, cmd, args) => {
  console.log(`\n== ${label}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status === 0;
};

const checks = [
  ['lint and format (biome)', bin('biome'), ['check', '.']],
  ['type check (tsc)', bin('tsc'), ['-p', '.']],
];
let checksFailed = 0;
for (const [label, cmd, args] of checks) if (!run(label, cmd, args)) checksFailed++;

if (!process.env.TEST_DATABASE_URL) {
  console.warn(
    '\n*** TEST_DATABASE_URL is not set: the PostgreSQL half of the integration suite is SKIPPED. ***',
  );
  console.warn('*** e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test ***\n');
}

const reportDir = path.join(root, '.tmp');
mkdirSync(reportDir, { recursive: true });
const report = path.join(reportDir, 'vitest-report.json');
const extra = process.argv.slice(2);
const ok = run('tests (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const data = JSON.parse(readFileSync(report, 'utf8'));
  passed = data.numPassedTests ?? 0;
  skipped = (data.numPendingTests ?? 0) + (data.numTodoTests ?? 0);
  failed = data.numFailedTests ?? 0;
  if (!ok && failed === 0) failed = Math.max(1, data.numFailedTestSuites ?? 1);
} else if (!ok) failed = 1;
failed += checksFailed;
if (checksFailed) console.log(`\n${checksFailed} check(s) failed before the tests (see above).`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && ok ? 0 : 1);
