import { SAFE_TIME_ZONE } from './safe-contact.schema.ts';
import type { TemplateLocale } from './default-templates.schema.ts';

// Journey messages rendered fast: a template's text is split into its pieces once and kept, so a
// burst of milestones renders each message by joining strings. Output is plain text.

type Compiled = (values: Readonly<Record<string, string>>) => string;

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;
const compiledTexts = new Map<string, Compiled>();
/** Enough for every template of many forces; beyond it the cache starts again rather than grow. */
const MAX_COMPILED = 20_000;

/** The text as a function of its placeholders' values; unknown names become empty. */
export function compileTemplate(text: string): Compiled {
  const cached = compiledTexts.get(text);
  if (cached) return cached;
  const literals: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    literals.push(text.slice(last, match.index));
    names.push(match[1] ?? '');
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  const compiled: Compiled = (values) => {
    let out = literals[0] ?? '';
    for (let i = 0; i < names.length; i++) out += (values[names[i] ?? ''] ?? '') + (literals[i + 1] ?? '');
    return out;
  };
  if (compiledTexts.size >= MAX_COMPILED) compiledTexts.clear();
  compiledTexts.set(text, compiled);
  return compiled;
}

const dateFormats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/** A moment as a victim reads it, in their language and on UK time: "Tuesday 3 March 2026", "10:30". */
export function formatWhen(at: Date, locale: TemplateLocale): { date: string; time: string } {
  let formats = dateFormats.get(locale);
  if (!formats) {
    const tag = locale === 'cy' ? 'cy' : 'en-GB';
    formats = {
      date: new Intl.DateTimeFormat(tag, { timeZone: SAFE_TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat(tag, { timeZone: SAFE_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    };
    dateFormats.set(locale, formats);
  }
  const date = formats.date.format(at).replace(',', '');
  // Every Welsh text names the day after "ar" or "i" ("ar {{date}}", "wedi newid i {{date}}"), which
  // soften it, as in running text: "ar ddydd Mawrth 17 Mawrth 2026", not "ar Dydd Mawrth". The
  // words for a date not yet known are written the same way ("ddyddiad i'w gadarnhau").
  return { date: locale === 'cy' ? date.replace(/^Dydd /, 'ddydd ') : date, time: formats.time.format(at) };
}
