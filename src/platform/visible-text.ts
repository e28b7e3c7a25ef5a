/**
 * Characters that show nothing on their own: white space, format characters (zero-width space
 * and joiners, direction marks, the byte-order mark, the soft hyphen) and control characters.
 * Text made only of them looks empty to whoever reads it, so where the public must write
 * something (what happened, a chat message) it is no answer, though `trim()` keeps it.
 */
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Z}]/u;

/** Whether `text` holds at least one character a reader would see. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}
