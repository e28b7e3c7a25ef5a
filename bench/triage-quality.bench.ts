import { readdirSync, readFileSync } from 'node:fs';
import { TriageEngine } from '../src/capabilities/triage/triage.engine.ts';
import { TRIAGE_CATEGORIES, type TriageResult } from '../src/capabilities/triage/triage.schema.ts';
import { DEFAULT_RULES } from '../src/capabilities/triage/triage.default-rules.ts';
import { fmt } from './stats.ts';

// Quality of the default rules on the evaluation corpus (bench/triage-corpus/), printed for the
// tuning split and the held-out split separately. Figures, not a test: it never fails.
// BENCH_SHOW_MISSES=tuning lists the tuning split's misses, for tuning; the held-out split's are
// never listed, so they cannot be tuned on.

const CORPUS = new URL('./triage-corpus/', import.meta.url);
/** An afternoon on a weekday: no night-time points, as most reports are read. */
const AT = new Date('2026-03-04T14:00:00Z');
const HELD_OUT_SHARE = 3; // of 10

type Band = 'U' | 'S' | 'R';
export type CorpusItem = { file: string; language: 'en' | 'cy'; kind: string; band: Band; categories: string[]; text: string };

/** FNV-1a over the text: a fixed split that no tuning can move a message across. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function isHeldOut(item: CorpusItem): boolean {
  return hash(item.text) % 10 < HELD_OUT_SHARE;
}

/** Every message of the corpus files, in file order. */
export function loadCorpus(): CorpusItem[] {
  const items: CorpusItem[] = [];
  for (const file of readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).sort()) {
    const language = file.startsWith('cy') ? 'cy' : 'en';
    for (const line of readFileSync(new URL(file, CORPUS), 'utf8').split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      const [kind, band, categories, ...rest] = line.split(' | ');
      const text = rest.join(' | ').trim();
      if (!kind || !band || !categories || text === '' || !['U', 'S', 'R'].includes(band)) throw new Error(`bad corpus line in ${file}: ${line}`);
      items.push({ file, language, kind: kind.trim(), band: band as Band, categories: categories === '-' ? [] : categories.split(','), text });
    }
  }
  return items;
}

type Scored = { item: CorpusItem; result: TriageResult };
const urgent = (s: Scored) => s.result.priority <= 2;
const share = (list: Scored[], test: (s: Scored) => boolean) => (list.length === 0 ? 0 : list.filter(test).length / list.length);
const pct = (value: number) => `${fmt(value * 100, 1)}%`;

function report(label: string, scored: Scored[]): void {
  console.log(`\n## ${label}: ${scored.length} messages (${scored.filter((s) => s.item.language === 'cy').length} Welsh)\n`);
  console.log('| category | support | predicted | precision | recall | false-positive rate |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const category of TRIAGE_CATEGORIES.filter((c) => c !== 'exclusion')) {
    const expected = scored.filter((s) => s.item.categories.includes(category));
    const predicted = scored.filter((s) => s.result.categories.includes(category));
    const tp = predicted.filter((s) => s.item.categories.includes(category)).length;
    const fp = predicted.length - tp;
    const negatives = scored.length - expected.length;
    if (expected.length === 0 && predicted.length === 0) continue;
    const precision = predicted.length === 0 ? 1 : tp / predicted.length;
    const recall = expected.length === 0 ? 1 : tp / expected.length;
    console.log(`| ${category} | ${expected.length} | ${predicted.length} | ${fmt(precision, 2)} | ${fmt(recall, 2)} | ${pct(negatives === 0 ? 0 : fp / negatives)} |`);
  }
  const kind = (k: string) => scored.filter((s) => s.item.kind === k);
  const da = scored.filter((s) => s.item.categories.includes('domestic_abuse'));
  const notDa = scored.filter((s) => !s.item.categories.includes('domestic_abuse'));
  const welshEmergencies = scored.filter((s) => s.item.language === 'cy' && s.item.band === 'U');
  const routine = kind('routine');
  const rows: [string, number, number, string, (v: number) => boolean][] = [
    ['threat wording at P1–P2', share(kind('threat'), urgent), kind('threat').length, '≥ 70%', (v) => v >= 0.7],
    ['domestic-abuse recall (category)', share(da, (s) => s.result.categories.includes('domestic_abuse')), da.length, '≥ 60%', (v) => v >= 0.6],
    ['domestic-abuse false-positive rate', share(notDa, (s) => s.result.categories.includes('domestic_abuse')), notDa.length, '≤ 5%', (v) => v <= 0.05],
    ['legal questions given domestic abuse', share(kind('da-legal'), (s) => s.result.categories.includes('domestic_abuse')), kind('da-legal').length, '', () => true],
    ['genuine ideation at P1–P2', share(kind('ideation'), urgent), kind('ideation').length, '≥ 90%', (v) => v >= 0.9],
    ['Welsh emergencies at P1–P2', share(welshEmergencies, urgent), welshEmergencies.length, '≥ 90%', (v) => v >= 0.9],
    ['routine messages at P1–P2', share(routine, urgent), routine.length, '≤ 1.5%', (v) => v <= 0.015],
    ['every clearly routine message (band R) at P1–P2', share(scored.filter((s) => s.item.band === 'R'), urgent), scored.filter((s) => s.item.band === 'R').length, '', () => true],
    ['idioms and jokes at P1–P2', share(kind('idiom'), urgent), kind('idiom').length, '', () => true],
    ['news, shares and sympathy at P1–P2', share(kind('news'), urgent), kind('news').length, '', () => true],
    ['evasions (leet, spacing, emoji, slips) at P1–P2', share(kind('evasion'), urgent), kind('evasion').length, '', () => true],
    ['every urgent message (band U) at P1–P2', share(scored.filter((s) => s.item.band === 'U'), urgent), scored.filter((s) => s.item.band === 'U').length, '', () => true],
  ];
  console.log('\n| figure | value | messages | target |');
  console.log('| --- | ---: | ---: | --- |');
  for (const [name, value, count, target, meets] of rows) console.log(`| ${name} | ${pct(value)} | ${count} | ${target === '' ? '' : `${target} ${meets(value) ? 'met' : 'NOT MET'}`} |`);
}

function showMisses(scored: Scored[]): void {
  console.log('\n## Tuning split: misses\n');
  for (const s of scored) {
    const { item, result } = s;
    const wrongBand = (item.band === 'U' && !urgent(s)) || (item.band === 'R' && urgent(s));
    const missing = item.categories.filter((c) => !result.categories.includes(c));
    const extra = result.categories.filter((c) => !item.categories.includes(c));
    if (!wrongBand && missing.length === 0 && extra.length === 0) continue;
    console.log(`P${result.priority} ${result.score} [${result.categories.join(',')}] want ${item.band} [${item.categories.join(',')}] ${item.kind}: ${item.text}`);
  }
}

/** Precision, recall and false-positive rate per category, and the headline shares, per split. */
export function triageQualityBenchmark(): void {
  const engine = new TriageEngine(1, DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `d${index}` })));
  const corpus = loadCorpus();
  const scored = corpus.map((item) => ({ item, result: engine.score(item.text, { at: AT }) }));
  const tuning = scored.filter((s) => !isHeldOut(s.item));
  const heldOut = scored.filter((s) => isHeldOut(s.item));
  console.log(`triage-quality: ${corpus.length} messages in bench/triage-corpus/, default rules (${DEFAULT_RULES.length}), scored at ${AT.toISOString()}`);
  report('Tuning split', tuning);
  report('Held-out split (not tuned on)', heldOut);
  if (process.env.BENCH_SHOW_MISSES === 'tuning') showMisses(tuning);
}
