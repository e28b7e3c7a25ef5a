/**
 * PostgreSQL refuses two things a JavaScript string can hold: the NUL character (in `text` and in
 * `jsonb`) and a lone UTF-16 surrogate (which `JSON.stringify` writes as `\udXXX`, an escape
 * `jsonb` rejects). Text from outside (a provider's payload, a form) is made storable by replacing
 * each with U+FFFD, the replacement character, so the rest of it is kept and the reader can see
 * that something was there.
 */

// A NUL, a high surrogate with no low one after it, or a low surrogate with no high one before it.
// eslint-disable-next-line no-control-regex -- finding the NUL character is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UNSTORABLE_TEST = new RegExp(UNSTORABLE.source);

/** Whether `text` holds anything PostgreSQL would refuse. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE_TEST.test(text);
}

/** `text` with every NUL and every lone surrogate replaced by U+FFFD. */
export function toStorableText(text: string): string {
  return isStorableText(text) ? text : text.replace(UNSTORABLE, '\uFFFD');
}

/**
 * Every string in `value` made storable, object keys included: plain objects and arrays are
 * copied, anything else (a Buffer, a Date, a number) is kept as it is.
 */
export function toStorable<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return toStorableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[toStorableText(key)] = clean(item);
  return copy;
}
