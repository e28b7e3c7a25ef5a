import { describe, expect, it } from 'vitest';
import { searchPatterns } from './help-articles.service.ts';

describe('help search patterns', () => {
  it('makes one escaped LIKE pattern per word, so wildcards typed match only themselves', () => {
    expect(searchPatterns('No further ACTION')).toEqual(['%no%', '%further%', '%action%']);
    expect(searchPatterns('50%_off a\\b')).toEqual(['%50%', '%off%']);
    expect(searchPatterns('car_park')).toEqual(['%car%', '%park%']);
  });

  it('keeps Welsh letters and apostrophes inside words, drops one-letter words and repeats', () => {
    expect(searchPatterns('beth yw’r llys? llys a')).toEqual(['%beth%', '%yw’r%', '%llys%']);
  });

  it('takes at most six words of at most 40 characters', () => {
    expect(searchPatterns('one two three four five six seven')).toHaveLength(6);
    expect(searchPatterns('x'.repeat(100))[0]).toBe(`%${'x'.repeat(40)}%`);
  });

  it('escapes what the word splitter lets through', () => {
    // Only letters, digits and apostrophes survive the split, so no pattern holds a wildcard of its own.
    for (const pattern of searchPatterns('%% __ \\\\ 100%')) expect(pattern.slice(1, -1)).not.toMatch(/[%_\\]/);
  });
});
