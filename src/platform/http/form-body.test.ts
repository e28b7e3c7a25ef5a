import { describe, expect, it } from 'vitest';
import { parseFormBody } from './form-body.ts';

describe('parseFormBody', () => {
  it('decodes-each-field-with-u-fffd-for-escapes-that-are-not-utf-8', () => {
    expect({ ...parseFormBody('a=caf%C3%A9%FF+ok&b=%E0%A4%A&c=100%') }).toEqual({ a: 'café\uFFFD ok', b: '\uFFFD%A', c: '100%' });
  });

  it('gives-a-repeated-name-as-a-list-in-the-order-sent', () => {
    expect({ ...parseFormBody('x=1&y=2&x=3&x=') }).toEqual({ x: ['1', '3', ''], y: '2' });
  });

  it('keeps-names-like-__proto__-as-plain-fields', () => {
    const fields = parseFormBody('__proto__=a&constructor=b&hasOwnProperty=c&__proto__=d');
    expect(Object.getPrototypeOf(fields)).toBeNull();
    expect(Object.entries(fields)).toEqual([['__proto__', ['a', 'd']], ['constructor', 'b'], ['hasOwnProperty', 'c']]);
  });
});
