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

  it('copies-a-payload-nested-deeper-than-the-stack-and-keeps-a-__proto__-key-and-the-order-of-keys', () => {
    // A provider's JSON can nest as deep as its size allows; cleaning it recursed and overflowed.
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}"\\u0000"${']'.repeat(depth)}`) as unknown;
    let inner = toStorable(deep);
    for (let level = 0; level < depth; level += 1) inner = (inner as unknown[])[0];
    expect(inner).toBe('\uFFFD');

    const parsed = JSON.parse('{"z": 1, "__proto__": {"polluted": "yes"}, "a": ["b\\u0000"]}') as Record<string, unknown>;
    const cleaned = toStorable(parsed);
    expect(Object.keys(cleaned)).toEqual(['z', '__proto__', 'a']);
    expect(JSON.stringify(cleaned)).toBe('{"z":1,"__proto__":{"polluted":"yes"},"a":["b\uFFFD"]}');
    expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype);
    expect((cleaned as { polluted?: string }).polluted).toBeUndefined();
  });
});
