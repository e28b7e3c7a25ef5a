/**
 * Text from HTML too large to hand to html-to-text, which holds the event loop for seconds on a
 * few megabytes (every request of the process waits meanwhile). One pass over the start of the
 * HTML, each character looked at a bounded number of times: tags dropped (a block's end is a line
 * break), script, style and comments dropped with their content, the commonest entities decoded.
 * Rougher than html-to-text (no tables, no links), which is why it is kept for mail past the limit.
 */

/** Elements that end a line of text. */
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul',
]);
/** Elements whose content is not text anyone wrote. */
const HIDDEN_ELEMENTS = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', pound: '£', euro: '€', copy: '©', hellip: '…', ndash: '–', mdash: '—' };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The (lower-case) element name starting at `start`, letters and digits, or '' if none starts there. */
function tagNameAt(lower: string, start: number, end: number): string {
  let at = start;
  for (; at < end && at < start + 12; at += 1) {
    const code = lower.charCodeAt(at);
    const isLetter = code >= 0x61 && code <= 0x7a;
    if (!isLetter && !(at > start && code >= 0x30 && code <= 0x39)) break;
  }
  return lower.slice(start, at);
}

/** The text of the first `maxChars` characters of `html`, and whether anything after them was left out. */
export function stripHtmlCheaply(html: string, maxChars: number): { text: string; isCut: boolean } {
  const source = html.slice(0, maxChars);
  const lower = source.toLowerCase();
  const parts: string[] = [];
  const isCut = html.length > maxChars;
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('<', at);
    if (open === -1) {
      parts.push(decodeEntities(source.slice(at)));
      break;
    }
    parts.push(decodeEntities(source.slice(at, open)));
    if (source.startsWith('<!--', open)) {
      const end = source.indexOf('-->', open + 4);
      if (end === -1) break;
      at = end + 3;
      continue;
    }
    const close = source.indexOf('>', open + 1);
    if (close === -1) break;
    const isClosing = lower.charCodeAt(open + 1) === 0x2f;
    const name = tagNameAt(lower, isClosing ? open + 2 : open + 1, close);
    at = close + 1;
    if (BLOCK_ELEMENTS.has(name)) parts.push('\n');
    else if (name === 'td' || name === 'th') parts.push(' ');
    if (!isClosing && HIDDEN_ELEMENTS.has(name)) {
      // Everything up to its end tag goes; a hidden element never closed hides the rest.
      const end = lower.indexOf(`</${name}`, at);
      if (end === -1) break;
      const endClose = source.indexOf('>', end);
      at = endClose === -1 ? source.length : endClose + 1;
    }
  }
  const text = parts
    .join('')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text, isCut };
}
