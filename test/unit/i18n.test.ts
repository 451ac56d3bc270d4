import { describe, expect, it } from 'vitest';
import { MESSAGES, SECTIONS, translator } from '../../web/src/i18n';

describe('the screens’ dictionaries', () => {
  it('declares each key in one screen only (a second would silently win the merge)', () => {
    const owners = new Map<string, string[]>();
    for (const [section, { en }] of Object.entries(SECTIONS))
      for (const key of Object.keys(en)) owners.set(key, [...(owners.get(key) ?? []), section]);
    expect([...owners].filter(([, sections]) => sections.length > 1)).toEqual([]);
  });

  it('has every key in both languages, none empty, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const en = MESSAGES.en;
    const zh = MESSAGES['zh-CN'];
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(zh[key].trim(), key).not.toBe('');
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('fills placeholders from the values given', () => {
    expect(translator('en')('saleNo', { number: 'SH01-1' })).toBe('Sale SH01-1');
    expect(translator('zh-CN')('saleNo', { number: 'SH01-1' })).toContain('SH01-1');
  });
});
