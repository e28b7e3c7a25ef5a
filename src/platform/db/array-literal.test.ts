import { describe, expect, it } from 'vitest';
import { toArrayLiteral } from './array-literal.ts';

describe('toArrayLiteral', () => {
  it('writes-ids-numbers-and-times-as-one-literal', () => {
    expect(toArrayLiteral(['0b7c8a3e-4f1d-4c2a-9e6b-1a2b3c4d5e6f', '2026-12-02T20:00:00.000Z'])).toBe('{0b7c8a3e-4f1d-4c2a-9e6b-1a2b3c4d5e6f,2026-12-02T20:00:00.000Z}');
    expect(toArrayLiteral([52.6, -1.25, 1e-7])).toBe('{52.6,-1.25,1e-7}');
    expect(toArrayLiteral([])).toBe('{}');
  });

  it('refuses-anything-that-would-need-quoting-or-reads-as-null', () => {
    for (const bad of ['a,b', 'x"y', '{1}', 'has space', 'back\\slash', '', 'NULL', 'null']) {
      expect(() => toArrayLiteral([bad]), bad).toThrow(/not a plain array element/);
    }
  });
});
