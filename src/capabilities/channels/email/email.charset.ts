import { isUtf8 } from 'node:buffer';

/**
 * Old mailers send 8-bit text with no charset at all. mailparser reads such a part as UTF-8, so
 * "café, 50£" in windows-1252 became "caf\uFFFD, 50\uFFFD". The WHATWG default for legacy text is
 * windows-1252 (which also covers ISO-8859-1): a text part that declares no charset and is not
 * valid UTF-8 is declared windows-1252 here, before mailparser reads it again. Valid UTF-8 is
 * left as it is. Only the headers gain a parameter; every other byte stays where it was.
 */

export const LEGACY_CHARSET = 'windows-1252';
const MAX_DEPTH = 20;

type Insertion = { at: number; text: string };

function decodeTransfer(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1');
  }
  return Buffer.from(body, 'latin1');
}

/** Where a header field named `name` starts and where its (folded) value ends, within the header block. */
function fieldSpan(headers: string, name: string): { valueStart: number; end: number } | null {
  const match = new RegExp(`(?:^|\\n)${name}[ \\t]*:`, 'i').exec(headers);
  if (!match) return null;
  const valueStart = match.index + match[0].length;
  const next = /\r?\n(?![ \t])/.exec(headers.slice(valueStart));
  return { valueStart, end: next ? valueStart + next.index : headers.length };
}

const unfold = (value: string) => value.replace(/\r?\n[ \t]+/g, ' ').trim();

/** Walks one MIME part (a latin1 string, byte for byte) from `start` to `end`, noting the charset declarations to add. */
function walkPart(mail: string, start: number, end: number, newline: string, depth: number, out: Insertion[]): void {
  const separator = /\r?\n\r?\n/g;
  let headerEnd: number;
  let bodyStart: number;
  if (mail.startsWith('\r\n', start) || mail.startsWith('\n', start)) {
    headerEnd = start;
    bodyStart = start + (mail[start] === '\r' ? 2 : 1);
  } else {
    separator.lastIndex = start;
    const found = separator.exec(mail);
    if (!found || found.index >= end) return;
    headerEnd = found.index;
    bodyStart = found.index + found[0].length;
  }
  const headers = mail.slice(start, headerEnd);
  const typeSpan = fieldSpan(headers, 'content-type');
  const contentType = typeSpan ? unfold(headers.slice(typeSpan.valueStart, typeSpan.end)) : 'text/plain';
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();

  if (type.startsWith('multipart/')) {
    const boundary = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const delimiter = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
    if (!boundary || depth >= MAX_DEPTH) return;
    let partStart = -1;
    for (let at = mail.indexOf(delimiter, bodyStart); at !== -1 && at < end; at = mail.indexOf(delimiter, at + delimiter.length)) {
      if (at !== bodyStart && mail[at - 1] !== '\n') continue;
      // The line break before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
      if (partStart !== -1) walkPart(mail, partStart, mail[at - 2] === '\r' ? at - 2 : at - 1, newline, depth + 1, out);
      if (mail.startsWith('--', at + delimiter.length)) return;
      const lineEnd = mail.indexOf('\n', at);
      if (lineEnd === -1) return;
      partStart = lineEnd + 1;
    }
    return;
  }
  if (!type.startsWith('text/') || /;\s*charset\s*\*?\s*=/i.test(contentType)) return;
  const encodingSpan = fieldSpan(headers, 'content-transfer-encoding');
  const encoding = encodingSpan ? unfold(headers.slice(encodingSpan.valueStart, encodingSpan.end)).toLowerCase() : '7bit';
  if (isUtf8(decodeTransfer(mail.slice(bodyStart, end), encoding))) return;
  out.push(
    typeSpan
      ? { at: start + typeSpan.end, text: `; charset=${LEGACY_CHARSET}` }
      : { at: start, text: `Content-Type: text/plain; charset=${LEGACY_CHARSET}${newline}` },
  );
}

/**
 * The mail with `charset=windows-1252` declared on each text part that declares no charset and
 * is not valid UTF-8, or null when there is none.
 */
export function declareLegacyCharsets(rawBody: Buffer): Buffer | null {
  const mail = rawBody.toString('latin1');
  const newline = /\r\n/.test(mail.slice(0, 2000)) ? '\r\n' : '\n';
  const insertions: Insertion[] = [];
  walkPart(mail, 0, mail.length, newline, 0, insertions);
  if (insertions.length === 0) return null;
  let result = mail;
  for (const { at, text } of insertions.sort((a, b) => b.at - a.at)) result = result.slice(0, at) + text + result.slice(at);
  return Buffer.from(result, 'latin1');
}

/** A raw header value (latin1, byte for byte) that is not valid UTF-8, read as windows-1252; null otherwise. */
export function legacyHeaderText(rawValue: string): string | null {
  const bytes = Buffer.from(rawValue, 'latin1');
  if (isUtf8(bytes)) return null;
  return new TextDecoder(LEGACY_CHARSET).decode(bytes);
}
