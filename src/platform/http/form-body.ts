/**
 * An `application/x-www-form-urlencoded` body read as browsers read one (the WHATWG URL
 * standard): a percent escape that is not UTF-8 decodes to U+FFFD and the rest of the field still
 * decodes. A repeated name gives a list, in the order sent. The object has no prototype, so a
 * field named `__proto__` or `constructor` is just a field.
 */
export function parseFormBody(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(body)) {
    const earlier = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (earlier === undefined) fields[name] = value;
    else if (Array.isArray(earlier)) earlier.push(value);
    else fields[name] = [earlier, value];
  }
  return fields;
}
