// What a form becomes when the record it changes was changed by someone else after the form was
// opened (decisions 0079, 0082): each field this person left alone takes the record as it is now;
// each they changed keeps what they typed. Pure: no React, no requests. Any form that sends the
// version it was opened at puts its fields through this, so every such form behaves alike.

/** Whether two field values are the same (lists and nulls compared by value; missing is null). */
export const isSameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A field both people changed, to different values: the person decides which stands. */
export type Clash<F extends string> = { field: F; yours: unknown; theirs: unknown };

/**
 * The form, from the record as opened, as this person wants it, and as it is now. `clashes` are
 * the fields both changed, differently: saving again puts this person's value over the other's,
 * so the form names each one. Nothing this person typed is lost.
 */
export function rebaseChange<F extends string, V extends Record<F, unknown>>(
  fields: readonly F[],
  opened: V,
  wanted: Partial<Record<F, unknown>>,
  current: V,
): { form: V; clashes: Clash<F>[] } {
  const form: Partial<Record<F, unknown>> = {};
  const clashes: Clash<F>[] = [];
  for (const field of fields) {
    const yours = wanted[field] ?? null;
    if (isSameValue(yours, opened[field])) {
      form[field] = current[field];
      continue;
    }
    form[field] = yours;
    if (!isSameValue(current[field], opened[field]) && !isSameValue(current[field], yours)) clashes.push({ field, yours, theirs: current[field] });
  }
  // Every field of `fields` was set above, each from a record's value or the form's of that field.
  return { form: form as V, clashes };
}
