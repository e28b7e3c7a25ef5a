import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, TEMPLATE_LOCALES, templateLocaleOf } from './default-templates.schema.ts';

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the templates a force starts with', () => {
  const kinds = [...new Set(DEFAULT_TEMPLATES.map((t) => `${t.key} (${t.channel})`))];

  it.each(kinds)('%s is written in English and Welsh, once each', (kind) => {
    const locales = DEFAULT_TEMPLATES.filter((t) => `${t.key} (${t.channel})` === kind).map((t) => t.locale);
    expect(locales.sort()).toEqual([...TEMPLATE_LOCALES].sort());
  });

  it.each(kinds)('%s fills the same placeholders in both languages', (kind) => {
    const [en, cy] = ['en', 'cy'].map((locale) => DEFAULT_TEMPLATES.find((t) => `${t.key} (${t.channel})` === kind && t.locale === locale));
    expect(placeholders(`${cy?.subject} ${cy?.body}`)).toEqual(placeholders(`${en?.subject} ${en?.body}`));
  });

  it('chooses Welsh for a Welsh speaker and English otherwise', () => {
    expect(templateLocaleOf('cy')).toBe('cy');
    expect(templateLocaleOf('cy-GB')).toBe('cy');
    expect(templateLocaleOf('en')).toBe('en');
    expect(templateLocaleOf(null)).toBe('en');
    expect(templateLocaleOf('fr')).toBe('en');
  });
});
