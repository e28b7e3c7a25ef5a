import type { TriageMatch } from './api/types.ts';

export interface Segment {
  text: string;
  match: TriageMatch | null;
}

/**
 * Split a message body into plain and matched segments using UTF-16 offsets.
 * Out-of-range matches are ignored; overlapping matches are clipped so every
 * character of the body appears exactly once.
 */
export function segmentBody(body: string, matches: readonly TriageMatch[]): Segment[] {
  const valid = matches
    .filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end <= body.length && m.start < m.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);

  const segments: Segment[] = [];
  let cursor = 0;
  for (const match of valid) {
    const start = Math.max(match.start, cursor);
    if (start >= match.end) continue;
    if (start > cursor) segments.push({ text: body.slice(cursor, start), match: null });
    segments.push({ text: body.slice(start, match.end), match });
    cursor = match.end;
  }
  if (cursor < body.length) segments.push({ text: body.slice(cursor), match: null });
  return segments;
}
