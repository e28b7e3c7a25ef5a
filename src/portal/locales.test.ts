import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flattenMessages } from './i18n.ts';

// Read from disk rather than imported, so the test sees exactly what ships.
const load = (locale: string): unknown => JSON.parse(readFileSync(new URL(`./locales/${locale}.json`, import.meta.url), 'utf8'));

describe('portal locales', () => {
  const en = flattenMessages(load('en'));
  const cy = flattenMessages(load('cy'));

  it('have the same keys in English and Welsh', () => {
    expect([...cy.keys()].sort()).toEqual([...en.keys()].sort());
    expect(en.size).toBeGreaterThan(50);
  });

  it('have no empty or non-text values', () => {
    for (const [name, catalogue] of [['en', en], ['cy', cy]] as const) {
      for (const [key, value] of catalogue) {
        expect(typeof value, `${name}:${key}`).toBe('string');
        expect(String(value).trim(), `${name}:${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: unknown) => [...String(text).matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of en) expect(placeholders(cy.get(key)), key).toEqual(placeholders(value));
  });

  it('contain no markup (every string is escaped as text)', () => {
    for (const catalogue of [en, cy]) for (const [key, value] of catalogue) expect(String(value), key).not.toMatch(/[<>]/);
  });

  it('are really translated, not copied', () => {
    const same = [...en].filter(([key, value]) => cy.get(key) === value).map(([key]) => key);
    // Language names are written in their own language in both, and the title pattern is punctuation.
    expect(same.sort()).toEqual(['common.english', 'common.pageTitle', 'common.pageTitleShort', 'common.welsh']);
  });
});
