import TextMatcher from 'modern-ahocorasick/text';
import Sentiment from 'sentiment';
import {
  PRIORITY_LABELS,
  type Contribution,
  type MatchTreatment,
  type Priority,
  type TriageContext,
  type TriageMatch,
  type TriageResult,
  type TriageRule,
} from './triage.schema.ts';

/** Categories that put a contact at priority 1 whatever the score, when counted at full weight. */
const THREAT_TO_LIFE_CATEGORIES = new Set(['threat_to_life', 'self_harm']);

const THRESHOLDS: { min: number; priority: Priority }[] = [
  { min: 60, priority: 1 },
  { min: 30, priority: 2 },
  { min: 10, priority: 3 },
];

/** Every fixed number of the non-keyword signals, in one place so docs/triage.md can quote it. */
export const SIGNAL_POINTS = {
  /** AFINN sentiment: one point per 2 below -3, at most this many. Positive sentiment never lowers risk. */
  sentimentMax: 10,
  sentimentFloor: -3,
  help: 5,
  urgency: 5,
  exclamationRun: 3,
  shouting: 5,
  /** The distress signals together never add more than this. */
  distressMax: 15,
  night: 5,
  /** 22:00 to 05:59 local time. */
  nightStartHour: 22,
  nightEndHour: 6,
  emergencyLine: 30,
  vulnerable: 10,
  repeatContact: 5,
  repeatContactMany: 10,
  repeatThreshold: 3,
  repeatManyThreshold: 5,
  previousHighRisk: 10,
} as const;

export const FORCE_TIME_ZONE = 'Europe/London';

/** How many words before a match a negation may stand ("was not really armed"). */
const NEGATION_WINDOW_WORDS = 3;
const NEGATORS = new Set(['no', 'not', 'never', 'without', 'nobody', 'none', 'neither', 'nor', 'nothing']);
const CLAUSE_BREAK = /[.!?;:,\n]|\bbut\b|\band\b|\bthen\b/giu;
const MEDIA_CUES =
  /\b(?:in|on) the news\b|\bnews (?:report|article|story|item)s?\b|\barticles?\b|\bheadlines?\b|\bnewspaper\b|\b(?:films?|movies?|documentar(?:y|ies)|tv (?:show|series|drama)|novels?|video games?|podcasts?)\b|\bstatistics\b|\bfigures show\b|\baccording to (?:the|a) (?:report|paper|bbc|news)\b/iu;
const HELP_CUE = /\bhelp\b/iu;
const URGENCY_CUE = /\b(?:please hurry|hurry|right now|asap|quickly|urgent(?:ly)?|emergency|come now|now)\b/iu;
const EXCLAMATION_RUN = /!{2,}/gu;
const EMERGENCY_LINES = new Set(['999', '112']);

const sentimentAnalyser = new Sentiment();

/** The emergency line the contact came in on, from `line` or a channel named after one ("999"). */
function emergencyLineOf(context: TriageContext): string | undefined {
  const candidate = (context.line ?? context.channel)?.trim();
  return candidate !== undefined && EMERGENCY_LINES.has(candidate) ? candidate : undefined;
}

type Pattern = { rule: TriageRule; pattern: string };
type Span = { start: number; end: number };

function signed(points: number): string {
  return `${points >= 0 ? '+' : '−'}${Math.abs(points)}`;
}

/** Quoted passages: “…”, «…» and pairs of straight double quotes. Single quotes are apostrophes too often. */
function quotedSpans(text: string): Span[] {
  const spans: Span[] = [];
  const pairs: [RegExp][] = [[/“[^”]*”/gu], [/«[^»]*»/gu], [/"[^"]*"/gu]];
  for (const [pattern] of pairs) for (const m of text.matchAll(pattern)) spans.push({ start: m.index, end: m.index + m[0].length });
  return spans;
}

/** Sentences (split on . ! ? and new lines) that talk about the news, a film, statistics and the like. */
function mediaSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?\n]+/gu)) {
    const end = m.index + m[0].length;
    if (MEDIA_CUES.test(text.slice(start, end))) spans.push({ start, end });
    start = end;
  }
  if (start < text.length && MEDIA_CUES.test(text.slice(start))) spans.push({ start, end: text.length });
  return spans;
}

/** The negating word within a few words before `start` in the same clause, if any. */
function negationBefore(text: string, start: number): string | undefined {
  let window = text.slice(Math.max(0, start - 80), start).replace(/[’‘]/gu, "'");
  let lastBreak = -1;
  for (const m of window.matchAll(CLAUSE_BREAK)) lastBreak = m.index + m[0].length;
  if (lastBreak >= 0) window = window.slice(lastBreak);
  const words = window.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  return words.slice(-NEGATION_WINDOW_WORDS).find((word) => NEGATORS.has(word) || word.endsWith("n't"));
}

const HOUR_FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** Hour 0..23 of the instant in the force's time zone. */
export function localHour(at: Date, timeZone = FORCE_TIME_ZONE): number {
  // Building a formatter loads time-zone data and costs far more than formatting with it: keep one per zone.
  let formatter = HOUR_FORMATTERS.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' });
    HOUR_FORMATTERS.set(timeZone, formatter);
  }
  return Number(formatter.format(at));
}

/**
 * A compiled rule set. Pure: no I/O and no clock of its own (the time comes in the context).
 * Matching is case-insensitive (full Unicode case folding) on whole words, with one Aho-Corasick
 * pass over the text whatever the number of rules and variants.
 */
export class TriageEngine {
  private readonly matcher: TextMatcher<Pattern>;
  constructor(
    readonly version: number,
    readonly rules: readonly TriageRule[],
  ) {
    const patterns: { pattern: string; data: Pattern }[] = [];
    for (const rule of rules) {
      const seen = new Set<string>();
      for (const pattern of [rule.phrase, ...(rule.variants ?? [])]) {
        const key = pattern.toLowerCase();
        if (seen.has(key) || pattern.trim() === '') continue;
        seen.add(key);
        patterns.push({ pattern, data: { rule, pattern } });
      }
    }
    this.matcher = new TextMatcher(patterns, { caseFold: true, normalization: 'NFC' });
  }

  /** Every rule occurrence in the text, leftmost-longest so highlights never overlap; all `counted`. */
  findMatches(text: string): TriageMatch[] {
    if (this.rules.length === 0 || text.length === 0) return [];
    return this.matcher.search(text, { wholeWord: true, locale: 'en-GB', strategy: 'leftmost-longest' }).flatMap((hit) => {
      const rule = hit.data?.rule;
      if (!rule) return [];
      return [
        {
          ruleId: rule.id,
          phrase: rule.phrase,
          category: rule.category,
          weight: rule.weight,
          start: hit.start,
          end: hit.end,
          matchedText: text.slice(hit.start, hit.end),
          treatment: 'counted' as const,
        },
      ];
    });
  }

  /** Scores a text and says why. Each rule counts once, at its best occurrence. */
  score(text: string, context: TriageContext = {}): TriageResult {
    const quotes = quotedSpans(text);
    const media = mediaSpans(text);
    const inside = (spans: Span[], m: Span) => spans.some((s) => m.start >= s.start && m.end <= s.end);

    // First pass: how each occurrence would count on its own.
    const matches = this.findMatches(text).map((match): TriageMatch => {
      if (match.weight <= 0) return match; // exclusions always count, quoted or not
      const negatedBy = negationBefore(text, match.start);
      if (negatedBy) return { ...match, treatment: 'negated', negatedBy };
      if (inside(quotes, match) || inside(media, match)) return { ...match, treatment: 'reported' };
      return match;
    });
    // Second pass: one occurrence per rule counts (full beats reported); the rest are repeats.
    const rank: Record<MatchTreatment, number> = { counted: 0, reported: 1, negated: 2, repeat: 3 };
    const best = new Map<string, TriageMatch>();
    for (const match of matches) {
      const current = best.get(match.ruleId);
      if (!current || rank[match.treatment] < rank[current.treatment]) best.set(match.ruleId, match);
    }
    for (const [index, match] of matches.entries()) {
      const chosen = best.get(match.ruleId);
      if (chosen !== match && match.treatment !== 'negated') matches[index] = { ...match, treatment: 'repeat' };
    }
    const fired = [...best.values()].filter((m) => m.treatment === 'counted' || m.treatment === 'reported');
    const negatedMatches = matches.filter((m) => m.treatment === 'negated');

    const contributions: Contribution[] = fired.map((match) => {
      const points = match.treatment === 'reported' ? Math.trunc(match.weight / 2) : match.weight;
      const variant = match.matchedText.toLowerCase() === match.phrase.toLowerCase() ? '' : ` as "${match.matchedText}"`;
      const reported = match.treatment === 'reported' ? ', quoted or reported: half' : '';
      return { label: `"${match.phrase}"${variant} (${match.category.replace(/_/g, ' ')}${reported})`, points, signal: 'keyword' };
    });

    const signals = this.signalContributions(text, context);
    contributions.push(...signals.contributions);

    const raw = contributions.reduce((sum, c) => sum + c.points, 0);
    const score = Math.max(0, Math.min(100, raw));
    const categories = [...new Set(fired.filter((m) => m.treatment === 'counted' && m.weight > 0).map((m) => m.category))];
    const lifeAtRisk = fired.find((m) => m.treatment === 'counted' && m.weight > 0 && THREAT_TO_LIFE_CATEGORIES.has(m.category));
    const emergencyLine = emergencyLineOf(context);
    const byScore = THRESHOLDS.find((t) => score >= t.min)?.priority ?? 4;
    const priority: Priority = emergencyLine || lifeAtRisk ? 1 : byScore;

    const explanation: string[] = [];
    if (fired.length === 0) explanation.push(`No rule in rule set v${this.version} counted.`);
    else explanation.push(`Rule set v${this.version}: ${fired.length} rule${fired.length === 1 ? '' : 's'} counted.`);
    for (const negated of negatedMatches) {
      explanation.push(`"${negated.matchedText}" did not count: "${negated.negatedBy ?? 'a negation'}" comes just before it.`);
    }
    for (const reported of fired.filter((m) => m.treatment === 'reported')) {
      explanation.push(`"${reported.matchedText}" counted half: it is inside quotation marks or a sentence about the news, a film or statistics.`);
    }
    if (contributions.length > 0) {
      const sum = contributions.map((c) => `${signed(c.points)} ${c.label}`).join(', ');
      explanation.push(`Score ${score} from ${sum}${raw !== score ? ` (raw ${raw}, kept within 0–100)` : ''}.`);
    } else {
      explanation.push('Score 0: nothing in the message or its context adds risk.');
    }
    if (emergencyLine) {
      explanation.push(`Priority 1 (${PRIORITY_LABELS[1]}): the contact came in on the ${emergencyLine} emergency line.`);
    } else if (lifeAtRisk) {
      explanation.push(`Priority 1 (${PRIORITY_LABELS[1]}): "${lifeAtRisk.matchedText}" signals a threat to life.`);
    } else {
      const threshold = THRESHOLDS.find((t) => t.priority === priority);
      explanation.push(
        threshold
          ? `Priority ${priority} (${PRIORITY_LABELS[priority]}): score is ${threshold.min} or more.`
          : `Priority 4 (${PRIORITY_LABELS[4]}): score is below ${THRESHOLDS[THRESHOLDS.length - 1]?.min ?? 0}.`,
      );
    }
    return {
      score,
      priority,
      priorityLabel: PRIORITY_LABELS[priority],
      ruleSetVersion: this.version,
      matches,
      negatedMatches,
      categories,
      contributions,
      signals: signals.values,
      explanation,
    };
  }

  /** The signals beyond keywords, each with its points. */
  private signalContributions(
    text: string,
    context: TriageContext,
  ): { contributions: Contribution[]; values: TriageResult['signals'] } {
    const out: Contribution[] = [];
    const P = SIGNAL_POINTS;

    const sentiment = text.length > 0 ? sentimentAnalyser.analyze(text).score : 0;
    if (sentiment < P.sentimentFloor) {
      const points = Math.min(P.sentimentMax, Math.ceil((P.sentimentFloor - sentiment) / 2));
      out.push({ label: `negative sentiment (AFINN ${sentiment})`, points, signal: 'sentiment' });
    }

    const distress: Contribution[] = [];
    if (HELP_CUE.test(text)) distress.push({ label: 'asks for help', points: P.help, signal: 'distress' });
    const urgency = URGENCY_CUE.exec(text);
    if (urgency) distress.push({ label: `urgency ("${urgency[0]}")`, points: P.urgency, signal: 'distress' });
    const exclamationRuns = text.match(EXCLAMATION_RUN)?.length ?? 0;
    if (exclamationRuns > 0) distress.push({ label: 'repeated exclamation marks', points: P.exclamationRun, signal: 'distress' });
    const words = text.match(/\p{L}{2,}/gu) ?? [];
    const shouted = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase()).length;
    const capsRatio = words.length === 0 ? 0 : shouted / words.length;
    if (shouted >= 3 && capsRatio >= 0.5) {
      distress.push({ label: `written in capitals (${Math.round(capsRatio * 100)}% of words)`, points: P.shouting, signal: 'distress' });
    }
    let distressLeft: number = P.distressMax;
    for (const cue of distress) {
      const points = Math.min(cue.points, distressLeft);
      distressLeft -= points;
      if (points > 0) out.push({ ...cue, points });
    }

    const hour = context.at ? localHour(context.at) : null;
    if (hour !== null && (hour >= P.nightStartHour || hour < P.nightEndHour)) {
      out.push({ label: `sent at night (${String(hour).padStart(2, '0')}:00 hour, ${FORCE_TIME_ZONE})`, points: P.night, signal: 'time' });
    }

    const line = emergencyLineOf(context);
    if (line) {
      out.push({ label: `${line} emergency line${context.channel ? ` (${context.channel})` : ''}`, points: P.emergencyLine, signal: 'channel' });
    }

    if (context.isVulnerable) out.push({ label: 'person is flagged vulnerable', points: P.vulnerable, signal: 'person' });
    const repeats = context.repeatContactsInLastDays ?? 0;
    if (repeats >= P.repeatManyThreshold) {
      out.push({ label: `repeat contact (${repeats} recent contacts)`, points: P.repeatContactMany, signal: 'person' });
    } else if (repeats >= P.repeatThreshold) {
      out.push({ label: `repeat contact (${repeats} recent contacts)`, points: P.repeatContact, signal: 'person' });
    }
    if (context.previousHighRisk) out.push({ label: 'person was high risk before', points: P.previousHighRisk, signal: 'person' });

    return { contributions: out, values: { sentiment, capsRatio, exclamationRuns, localHour: hour } };
  }
}
