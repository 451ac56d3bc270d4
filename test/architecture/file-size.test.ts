import { describe, expect, it } from 'vitest';
import { MAX_LINES, SIZE_EXEMPT } from './rooms';
import { sourceFiles } from './source-files';

describe('file size', () => {
  it(`keeps every file of src/ and web/src/ within ${MAX_LINES} lines`, () => {
    const big = sourceFiles()
      .filter((f) => !SIZE_EXEMPT.some((re) => re.test(f.path)) && f.lines > MAX_LINES)
      .map((f) => `${f.path}: ${f.lines}`);
    expect(big).toEqual([]);
  });
});
