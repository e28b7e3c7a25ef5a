import type { z } from 'zod';

/**
 * Characters that show nothing on their own: white space, format characters (zero-width space
 * and joiners, direction marks, the byte-order mark, the soft hyphen) and control characters.
 * Text made only of them looks empty to whoever reads it, so where the public must write
 * something (what happened, a chat message) it is no answer, though `trim()` keeps it.
 */
export const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Cc}\p{Z}]/u;

/** Whether `text` holds at least one character a reader would see. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE.test(text);
}

/**
 * Text the public must write (what happened, a message): trimmed, at most `max` characters, and
 * refused as blank (`blank`) when empty or made only of characters that show nothing. The portal's
 * report form, the partner API and live chat take the public's text through this one check (the
 * chat widget is served `VISIBLE` itself, so it tells a visitor what the server would refuse).
 */
export function writtenText(field: z.ZodString, { blank, tooLong }: { blank: string; tooLong: string }, max: number) {
  return field.trim().min(1, { error: blank }).max(max, { error: tooLong }).refine(hasVisibleText, { error: blank });
}
