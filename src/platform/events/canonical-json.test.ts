import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('is the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 2, y: 3 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 3, z: 2 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
  it('keeps array order', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });
});
