/** What may stand unquoted in an array literal: ids, numbers and ISO 8601 times, nothing that delimits. */
const PLAIN_ELEMENT = /^[0-9A-Za-z.:+-]+$/;

/**
 * A PostgreSQL array literal (`{a,b,c}`) of plain values, for a statement that takes a whole batch
 * as one parameter (`${literal}::text::uuid[]`). The driver's own array conversion quotes and
 * escapes every element, which for batches of thousands costs more than the statement's planning;
 * these values need none of it, and anything that would is refused rather than escaped.
 */
export function toArrayLiteral(values: readonly (string | number)[]): string {
  const parts = values.map((value) => {
    const text = String(value);
    // An unquoted NULL in a literal is the null value, not the word.
    if (!PLAIN_ELEMENT.test(text) || text.toLowerCase() === 'null') throw new Error(`not a plain array element: ${JSON.stringify(text).slice(0, 60)}`);
    return text;
  });
  return `{${parts.join(',')}}`;
}
