import { describe, expect, it } from 'vitest';
import { TRIAGE_CORPUS } from './corpus.schema.ts';
import { TriageEngine } from './triage.engine.ts';
import { TRIAGE_CATEGORIES } from './triage.schema.ts';
import { DEFAULT_RULES } from './triage.default-rules.ts';

const engine = new TriageEngine(1, DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `r${index}` })));

type Tally = { tp: number; fp: number; fn: number };
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

/**
 * Precision and recall of the default rules on the hand-labelled corpus. The floors are what the
 * default rules honestly reach (with some headroom below the measured figures), not 1.0.
 */
describe('triage corpus', () => {
  const tallies = new Map<string, Tally>();
  const tally = (key: string): Tally => {
    const existing = tallies.get(key);
    if (existing) return existing;
    const fresh = { tp: 0, fp: 0, fn: 0 };
    tallies.set(key, fresh);
    return fresh;
  };
  for (const message of TRIAGE_CORPUS) {
    const result = engine.score(message.text);
    for (const category of TRIAGE_CATEGORIES.filter((c) => c !== 'exclusion')) {
      const expected = message.categories.includes(category);
      const predicted = result.categories.includes(category);
      if (expected && predicted) tally(category).tp += 1;
      else if (predicted) tally(category).fp += 1;
      else if (expected) tally(category).fn += 1;
    }
    const urgent = result.priority <= 2;
    if (message.urgent && urgent) tally('URGENT (priority 1–2)').tp += 1;
    else if (urgent) tally('URGENT (priority 1–2)').fp += 1;
    else if (message.urgent) tally('URGENT (priority 1–2)').fn += 1;
  }
  const categoryTotals = [...tallies.entries()].filter(([key]) => !key.startsWith('URGENT')).reduce(
    (sum, [, t]) => ({ tp: sum.tp + t.tp, fp: sum.fp + t.fp, fn: sum.fn + t.fn }),
    { tp: 0, fp: 0, fn: 0 },
  );

  it('has enough messages, with hard negatives', () => {
    expect(TRIAGE_CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(TRIAGE_CORPUS.filter((m) => m.categories.length === 0 && !m.urgent).length).toBeGreaterThanOrEqual(30);
  });

  it('prints precision and recall per category and stays above the floors', () => {
    const rows = [...tallies.entries()].map(([category, t]) => ({
      category,
      support: t.tp + t.fn,
      tp: t.tp,
      fp: t.fp,
      fn: t.fn,
      precision: ratio(t.tp, t.tp + t.fp).toFixed(2),
      recall: ratio(t.tp, t.tp + t.fn).toFixed(2),
    }));
    rows.push({
      category: 'ALL CATEGORIES (micro)',
      support: categoryTotals.tp + categoryTotals.fn,
      tp: categoryTotals.tp,
      fp: categoryTotals.fp,
      fn: categoryTotals.fn,
      precision: ratio(categoryTotals.tp, categoryTotals.tp + categoryTotals.fp).toFixed(2),
      recall: ratio(categoryTotals.tp, categoryTotals.tp + categoryTotals.fn).toFixed(2),
    });
    console.log(`Triage corpus: ${TRIAGE_CORPUS.length} messages, default rules`);
    console.table(rows);
    // Floors: every category with support ≥ 5 keeps precision and recall ≥ 0.75; overall ≥ 0.85.
    for (const [category, t] of tallies) {
      if (t.tp + t.fn < 5) continue;
      expect(ratio(t.tp, t.tp + t.fp), `${category} precision`).toBeGreaterThanOrEqual(0.75);
      expect(ratio(t.tp, t.tp + t.fn), `${category} recall`).toBeGreaterThanOrEqual(0.75);
    }
    expect(ratio(categoryTotals.tp, categoryTotals.tp + categoryTotals.fp)).toBeGreaterThanOrEqual(0.85);
    expect(ratio(categoryTotals.tp, categoryTotals.tp + categoryTotals.fn)).toBeGreaterThanOrEqual(0.85);
  });
});
