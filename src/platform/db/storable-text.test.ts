import { describe, expect, it } from 'vitest';
import { isStorableText, toStorable, toStorableText } from './storable-text.ts';

describe('storable text', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps everything else', () => {
    expect(toStorableText('a\u0000b')).toBe('a\uFFFDb');
    expect(toStorableText('high \uD83D alone')).toBe('high \uFFFD alone');
    expect(toStorableText('low \uDE00 alone')).toBe('low \uFFFD alone');
    expect(toStorableText('ends high \uD83D')).toBe('ends high \uFFFD');
    expect(toStorableText('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
    expect(toStorableText('a pair 🔪 stays, Welsh ŵ too')).toBe('a pair 🔪 stays, Welsh ŵ too');
    expect(isStorableText('🔪')).toBe(true);
    expect(isStorableText('\u0000')).toBe(false);
  });

  it('cleans strings and keys deep inside plain objects and arrays, leaving buffers and dates alone', () => {
    const buffer = Buffer.from([0, 1, 2]);
    const at = new Date(0);
    const cleaned = toStorable({ body: 'x\u0000', list: ['\uD800', 1, null], nested: { ['k\u0000']: 'v' }, buffer, at });
    expect(cleaned).toEqual({ body: 'x\uFFFD', list: ['\uFFFD', 1, null], nested: { 'k\uFFFD': 'v' }, buffer, at });
    expect(cleaned.buffer).toBe(buffer);
    expect(cleaned.at).toBe(at);
  });
});
