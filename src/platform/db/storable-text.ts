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
 * copied, anything else (a Buffer, a Date, a number) is kept as it is. It walks without recursion,
 * so no depth of nesting a payload can hold overflows the stack, and a key named `__proto__` is
 * copied as a key like any other.
 */
export function toStorable<T>(value: T): T {
  const result: { value?: unknown } = {};
  const work: { from: unknown; to: Record<string | number, unknown>; at: string | number }[] = [{ from: value, to: result, at: 'value' }];
  for (let next = work.pop(); next; next = work.pop()) {
    const { from, to, at } = next;
    if (typeof from === 'string') {
      to[at] = toStorableText(from);
    } else if (Array.isArray(from)) {
      const copy: unknown[] = new Array(from.length);
      to[at] = copy;
      for (let i = 0; i < from.length; i += 1) work.push({ from: from[i], to: copy as unknown as Record<number, unknown>, at: i });
    } else if (isPlainObject(from)) {
      const copy: Record<string, unknown> = {};
      to[at] = copy;
      for (const [key, item] of Object.entries(from)) {
        const storableKey = toStorableText(key);
        // Defined in the source's order, so the copy keeps it; an own `__proto__` is then a key.
        Object.defineProperty(copy, storableKey, { value: undefined, enumerable: true, writable: true, configurable: true });
        work.push({ from: item, to: copy, at: storableKey });
      }
    } else {
      to[at] = from;
    }
  }
  return result.value as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
