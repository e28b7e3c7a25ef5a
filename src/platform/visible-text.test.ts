import { describe, expect, it } from 'vitest';
import { hasVisibleText } from './visible-text.ts';

describe('text a reader would see', () => {
  it('is any letter, digit, mark or symbol, in any script', () => {
    for (const text of ['a', 'ŵ', 'Ŷ', '7', '?', '😀', '👩‍👧', 'مرحبا', '你好', ' \u200b x \u200b ']) expect(hasVisibleText(text), text).toBe(true);
  });

  it('is not white space, zero-width or direction marks, a byte-order mark or control characters alone', () => {
    for (const text of ['', ' ', '\t\n\r', '\u00a0', '\u3000', '\u200b', '\u200c\u200d', '\u200e\u200f', '\ufeff', '\u2060', '\u00ad', '\u0007', '\u202e ']) {
      expect(hasVisibleText(text), JSON.stringify(text)).toBe(false);
    }
  });
});
