import { CUE } from './triage.cues.ts';
import type { ContextFacts } from './triage.context.ts';
import type { Normalised } from './triage.normalise.ts';
import { FORCE_TIME_ZONE, SIGNAL_POINTS, type SignalKind, type TriageContext } from './triage.schema.ts';

// The signals beyond keywords and patterns, each with its points and its label in English and
// Welsh. Sentiment is read over the most negative window of words rather than summed over the
// whole message, so a long, calm complaint does not pile up points that a short cry for help earns.

/** A contribution with its label in both languages; the result keeps the English one. */
export type BilingualContribution = { label: string; labelCy: string; points: number; signal: SignalKind };

const EMERGENCY_LINES = new Set(['999', '112']);

/** The emergency line the contact came in on, from `line` or a channel named after one ("999"). */
export function emergencyLineOf(context: TriageContext): string | undefined {
  const candidate = (context.line ?? context.channel)?.trim();
  return candidate !== undefined && EMERGENCY_LINES.has(candidate) ? candidate : undefined;
}

const HOUR_FORMATTERS = new Map<string, Intl.DateTimeFormat>();
const HOURS = new Map<string, number>();
const HOURS_KEPT = 4096;
let lastUtcHour = Number.NaN;
let lastHour = 0;

function rememberLast(timeZone: string, utcHour: number, hour: number): number {
  if (timeZone === FORCE_TIME_ZONE) {
    lastUtcHour = utcHour;
    lastHour = hour;
  }
  return hour;
}

/** Hour 0..23 of the instant in the force's time zone. */
export function localHour(at: Date, timeZone = FORCE_TIME_ZONE): number {
  // Formatting costs microseconds a message; every instant in one UTC hour has one local hour in
  // a zone whose offsets are whole hours (as Europe/London's are), so remember it per hour.
  const utcHour = Math.floor(at.getTime() / 3_600_000);
  // Messages come in order: most are in the same hour as the last one scored.
  if (timeZone === FORCE_TIME_ZONE && utcHour === lastUtcHour) return lastHour;
  const key = `${timeZone}:${utcHour}`;
  const known = HOURS.get(key);
  if (known !== undefined) return rememberLast(timeZone, utcHour, known);
  // Building a formatter loads time-zone data and costs far more than formatting with it: keep one per zone.
  let formatter = HOUR_FORMATTERS.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    HOUR_FORMATTERS.set(timeZone, formatter);
  }
  const hour = Number(formatter.format(at));
  if (timeZone === FORCE_TIME_ZONE) {
    if (HOURS.size >= HOURS_KEPT) HOURS.clear();
    HOURS.set(key, hour);
  }
  return rememberLast(timeZone, utcHour, hour);
}

export type SentimentReading = { total: number; window: number };

/** What the word index holds on a token that matters here: its AFINN score. */
export type SentimentEntry = { afinn: number };

/**
 * AFINN sentiment: the whole message's sum, and the most negative sum over any run of
 * `SIGNAL_POINTS.sentimentWindow` tokens (a sliding window, so linear). A word right after a
 * negation counts the other way ("not good").
 */
export function readSentiment(normalised: Normalised, facts: ContextFacts, entries: readonly (SentimentEntry | undefined)[]): SentimentReading {
  const size = SIGNAL_POINTS.sentimentWindow;
  const { tokens } = normalised;
  const scores = new Int8Array(tokens.length);
  let total = 0;
  let running = 0;
  let worst = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    let score = token && token.kind !== 'masked' ? (entries[i]?.afinn ?? 0) : 0;
    if (score !== 0 && i > 0 && ((facts.tokenFlags[i - 1] ?? 0) & CUE.NEGATOR) !== 0) score = -score;
    scores[i] = score;
    total += score;
    running += score;
    if (i >= size) running -= scores[i - size] ?? 0;
    if (running < worst) worst = running;
  }
  return { total, window: worst };
}

/** The signals beyond keywords and patterns, each with its points. */
export function signalContributions(
  text: string,
  normalised: Normalised,
  facts: ContextFacts,
  sentiment: SentimentReading,
  context: TriageContext,
): { contributions: BilingualContribution[]; capsRatio: number; localHour: number | null } {
  const out: BilingualContribution[] = [];
  const P = SIGNAL_POINTS;

  if (sentiment.window < P.sentimentFloor) {
    const points = Math.min(P.sentimentMax, Math.ceil((P.sentimentFloor - sentiment.window) / 2));
    out.push({
      label: `negative sentiment (AFINN ${sentiment.window} in the most negative ${P.sentimentWindow} words)`,
      labelCy: `teimlad negyddol (AFINN ${sentiment.window} yn y ${P.sentimentWindow} gair mwyaf negyddol)`,
      points,
      signal: 'sentiment',
    });
  }

  const distress: BilingualContribution[] = [];
  if (facts.help) distress.push({ label: 'asks for help', labelCy: 'yn gofyn am help', points: P.help, signal: 'distress' });
  if (facts.urgency) {
    const words = text.slice(facts.urgency.start, facts.urgency.end);
    distress.push({ label: `urgency ("${words}")`, labelCy: `brys ("${words}")`, points: P.urgency, signal: 'distress' });
  }
  if (normalised.exclamationRuns > 0) {
    distress.push({ label: 'repeated exclamation marks', labelCy: 'ebychnodau dro ar ôl tro', points: P.exclamationRun, signal: 'distress' });
  }
  const capsRatio = normalised.capsWords === 0 ? 0 : normalised.shoutedWords / normalised.capsWords;
  if (normalised.shoutedWords >= 3 && capsRatio >= 0.5) {
    const share = Math.round(capsRatio * 100);
    distress.push({
      label: `written in capitals (${share}% of words)`,
      labelCy: `mewn priflythrennau (${share}% o'r geiriau)`,
      points: P.shouting,
      signal: 'distress',
    });
  }
  let distressLeft: number = P.distressMax;
  for (const cue of distress) {
    const points = Math.min(cue.points, distressLeft);
    distressLeft -= points;
    if (points > 0) out.push({ ...cue, points });
  }

  const hour = context.at ? localHour(context.at) : null;
  if (hour !== null && (hour >= P.nightStartHour || hour < P.nightEndHour)) {
    const at = String(hour).padStart(2, '0');
    out.push({
      label: `sent at night (${at}:00 hour, ${FORCE_TIME_ZONE})`,
      labelCy: `anfonwyd yn y nos (yr awr ${at}:00, ${FORCE_TIME_ZONE})`,
      points: P.night,
      signal: 'time',
    });
  }

  const line = emergencyLineOf(context);
  if (line) {
    const channel = context.channel ? ` (${context.channel})` : '';
    out.push({ label: `${line} emergency line${channel}`, labelCy: `llinell argyfwng ${line}${channel}`, points: P.emergencyLine, signal: 'channel' });
  }

  if (context.isVulnerable) {
    out.push({ label: 'person is flagged vulnerable', labelCy: "mae'r person wedi'i nodi'n fregus", points: P.vulnerable, signal: 'person' });
  }
  const repeats = context.repeatContactsInLastDays ?? 0;
  if (repeats >= P.repeatThreshold) {
    out.push({
      label: `repeat contact (${repeats} recent contacts)`,
      labelCy: `cyswllt eto (${repeats} cyswllt diweddar)`,
      points: repeats >= P.repeatManyThreshold ? P.repeatContactMany : P.repeatContact,
      signal: 'person',
    });
  }
  if (context.previousHighRisk) {
    out.push({ label: 'person was high risk before', labelCy: "roedd y person yn risg uchel o'r blaen", points: P.previousHighRisk, signal: 'person' });
  }
  return { contributions: out, capsRatio, localHour: hour };
}
