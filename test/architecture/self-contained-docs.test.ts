import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './source-files';

const docs = [
  'README.md',
  'bench/README.md',
  ...readdirSync(path.join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const texts = [
  ...sourceFiles().map((f) => ({ path: f.path, text: f.text })),
  ...docs.map((p) => ({ path: p, text: readFileSync(path.join(ROOT, p), 'utf8') })),
];

describe('the repository stands alone', () => {
  it('cites no file from outside it, and no step by its number', () => {
    const outside =
      /\b(PROVIDERS|DESIGN|SCENARIOS|STYLE|GLOSSARY|SETUP-NOTES)\.md\b|\.\.\/shared\/|\bStep \d+\b/;
    expect(
      texts.filter((t) => outside.test(t.text)).map((t) => `${t.path}: ${outside.exec(t.text)?.[0]}`),
    ).toEqual([]);
  });

  it('cites only docs that exist', () => {
    const cited = texts.flatMap((t) =>
      [...t.text.matchAll(/\bdocs\/[\w./-]+\.md\b/g)].map((m) => ({ from: t.path, doc: m[0] })),
    );
    expect(cited.length).toBeGreaterThan(0);
    expect(
      cited.filter((c) => !existsSync(path.join(ROOT, c.doc))).map((c) => `${c.from} → ${c.doc}`),
    ).toEqual([]);
  });
});
