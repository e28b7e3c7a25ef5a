import TextMatcher from 'modern-ahocorasick/text';

/** One keyword rule a force owns. A negative weight is an exclusion ("knife crime statistics"). */
export type TriageRule = { id: string; phrase: string; category: string; weight: number };

export type TriageMatch = {
  ruleId: string;
  phrase: string;
  category: string;
  weight: number;
  /** UTF-16 offsets into the scored text; `end` is exclusive. */
  start: number;
  end: number;
  matchedText: string;
};

export type Priority = 1 | 2 | 3 | 4;

export type TriageResult = {
  score: number;
  priority: Priority;
  priorityLabel: string;
  ruleSetVersion: number;
  matches: TriageMatch[];
  contributions: { label: string; points: number }[];
  explanation: string[];
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  1: 'Immediate risk',
  2: 'High',
  3: 'Standard',
  4: 'Low',
};

/** Categories that put a contact at priority 1 whatever the score. */
const THREAT_TO_LIFE_CATEGORIES = new Set(['threat_to_life', 'self_harm']);

const THRESHOLDS: { min: number; priority: Priority }[] = [
  { min: 60, priority: 1 },
  { min: 30, priority: 2 },
  { min: 10, priority: 3 },
];

/**
 * A compiled rule set. Matching is case-insensitive (full Unicode case folding) on whole words,
 * with one Aho-Corasick pass over the text whatever the number of rules.
 */
export class TriageEngine {
  private readonly matcher: TextMatcher<TriageRule>;
  constructor(
    readonly version: number,
    readonly rules: readonly TriageRule[],
  ) {
    this.matcher = new TextMatcher(
      rules.map((rule) => ({ pattern: rule.phrase, data: rule })),
      { caseFold: true, normalization: 'NFC' },
    );
  }

  /** Every rule occurrence in the text, leftmost-longest so highlights never overlap. */
  findMatches(text: string): TriageMatch[] {
    if (this.rules.length === 0 || text.length === 0) return [];
    return this.matcher.search(text, { wholeWord: true, locale: 'en-GB', strategy: 'leftmost-longest' }).flatMap((hit) => {
      const rule = hit.data;
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
        },
      ];
    });
  }

  /** Scores a text and says why: each rule counts once, however often it appears. */
  score(text: string): TriageResult {
    const matches = this.findMatches(text);
    const firstByRule = new Map<string, TriageMatch>();
    for (const match of matches) if (!firstByRule.has(match.ruleId)) firstByRule.set(match.ruleId, match);
    const fired = [...firstByRule.values()];

    const contributions = fired.map((match) => ({
      label: `"${match.phrase}" (${match.category.replace(/_/g, ' ')})`,
      points: match.weight,
    }));
    const raw = contributions.reduce((sum, c) => sum + c.points, 0);
    const score = Math.max(0, Math.min(100, raw));
    const lifeAtRisk = fired.find((match) => THREAT_TO_LIFE_CATEGORIES.has(match.category) && match.weight > 0);
    const byScore = THRESHOLDS.find((t) => score >= t.min)?.priority ?? 4;
    const priority: Priority = lifeAtRisk ? 1 : byScore;

    const explanation: string[] = [];
    if (fired.length === 0) {
      explanation.push(`No rule in rule set v${this.version} matched.`);
    } else {
      explanation.push(`Rule set v${this.version}: ${fired.length} rule${fired.length === 1 ? '' : 's'} matched.`);
      const sum = contributions.map((c) => `${c.points >= 0 ? '+' : '−'}${Math.abs(c.points)} ${c.label}`).join(', ');
      explanation.push(`Score ${score} from ${sum}${raw !== score ? ` (raw ${raw}, kept within 0–100)` : ''}.`);
    }
    if (lifeAtRisk) {
      explanation.push(`Priority 1 (${PRIORITY_LABELS[1]}): "${lifeAtRisk.phrase}" signals a threat to life.`);
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
      contributions,
      explanation,
    };
  }
}

/** The rule set a new force starts with; the force changes it from there. */
export const DEFAULT_RULES: Omit<TriageRule, 'id'>[] = [
  { phrase: 'knife', category: 'weapons', weight: 40 },
  { phrase: 'knives', category: 'weapons', weight: 40 },
  { phrase: 'gun', category: 'weapons', weight: 45 },
  { phrase: 'firearm', category: 'weapons', weight: 45 },
  { phrase: 'machete', category: 'weapons', weight: 45 },
  { phrase: 'stabbed', category: 'weapons', weight: 50 },
  { phrase: 'been shot', category: 'weapons', weight: 50 },
  { phrase: 'going to kill me', category: 'threat_to_life', weight: 60 },
  { phrase: 'going to kill', category: 'threat_to_life', weight: 55 },
  { phrase: 'threatened to kill', category: 'threat_to_life', weight: 55 },
  { phrase: "can't breathe", category: 'threat_to_life', weight: 50 },
  { phrase: 'kill myself', category: 'self_harm', weight: 60 },
  { phrase: 'end my life', category: 'self_harm', weight: 60 },
  { phrase: 'suicide', category: 'self_harm', weight: 45 },
  { phrase: 'overdose', category: 'self_harm', weight: 40 },
  { phrase: 'hit me', category: 'domestic_abuse', weight: 30 },
  { phrase: 'punched me', category: 'domestic_abuse', weight: 30 },
  { phrase: 'my partner', category: 'domestic_abuse', weight: 10 },
  { phrase: 'my ex', category: 'domestic_abuse', weight: 10 },
  { phrase: 'controlling', category: 'domestic_abuse', weight: 15 },
  { phrase: 'child alone', category: 'child_at_risk', weight: 40 },
  { phrase: 'left alone', category: 'child_at_risk', weight: 20 },
  { phrase: 'missing', category: 'missing_person', weight: 25 },
  { phrase: 'not come home', category: 'missing_person', weight: 25 },
  { phrase: 'racist abuse', category: 'hate', weight: 30 },
  { phrase: 'hate crime', category: 'hate', weight: 30 },
  { phrase: 'drunk driver', category: 'road_danger', weight: 35 },
  { phrase: 'drink driving', category: 'road_danger', weight: 35 },
  { phrase: 'knife crime statistics', category: 'exclusion', weight: -40 },
  { phrase: 'knife amnesty', category: 'exclusion', weight: -40 },
];
