import { cpus } from 'node:os';
import { TRIAGE_CORPUS } from '../src/capabilities/triage/corpus.schema.ts';
import { TriageEngine } from '../src/capabilities/triage/triage.engine.ts';
import { TRIAGE_CATEGORIES, type TriageRule } from '../src/capabilities/triage/triage.schema.ts';
import { DEFAULT_RULES } from '../src/capabilities/triage/triage.default-rules.ts';
import { fmt, quantile } from './stats.ts';
import { loadCorpus } from './triage-quality.bench.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const RULE_COUNT = 1000;
/** Which parts to run: `real` (always), `generated`, `long`; e.g. BENCH_TRIAGE_PARTS=real for quick comparisons. */
const PARTS = new Set((process.env.BENCH_TRIAGE_PARTS ?? 'real,generated,long').split(','));

/** A small deterministic generator, so every run scores the same rules and messages. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PLACES = ['Gateshead', 'Sunderland', 'Hexham', 'Morpeth', 'Blyth', 'Jarrow', 'Wallsend', 'Ashington', 'Cramlington', 'Washington',
  'Whitley Bay', 'Tynemouth', 'Byker', 'Heaton', 'Jesmond', 'Benwell', 'Kenton', 'Felling', 'Hebburn', 'Seaham'];
const SPOTS = ['Metro station', 'bus station', 'retail park', 'high street', 'quayside', 'leisure centre', 'precinct', 'underpass', 'car park', 'park'];
const HAZARDS = ['knife', 'machete', 'gun', 'fight', 'fire', 'crash', 'drunk driver', 'gang', 'robbery', 'stabbing'];

/** The default rules, then realistic generated ones (hazard at a place) until there are 1,000. */
export function buildRules(random: () => number): TriageRule[] {
  const rules: TriageRule[] = DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `d${index}` }));
  const categories = TRIAGE_CATEGORIES.filter((c) => c !== 'exclusion');
  outer: for (const place of PLACES) {
    for (const spot of SPOTS) {
      for (const hazard of HAZARDS) {
        if (rules.length >= RULE_COUNT) break outer;
        const phrase = `${hazard} at ${place} ${spot}`.toLowerCase();
        rules.push({
          id: `g${rules.length}`,
          phrase,
          variants: [`${hazard} near ${place} ${spot}`.toLowerCase(), `${hazard} in ${place}`.toLowerCase()],
          category: categories[Math.floor(random() * categories.length)] ?? 'violence',
          weight: 10 + Math.floor(random() * 40),
        });
      }
    }
  }
  return rules.slice(0, RULE_COUNT);
}

const FILLER = ['I was walking home', 'there were lots of people about', 'the lighting is poor there', 'my neighbour saw it too',
  'it happened around nine', 'I have photos on my phone', 'nobody seemed to do anything', 'I called my sister first',
  'the car was a silver hatchback', 'he was wearing a grey hoodie'];

/** Corpus messages and generated ones, 50 to 2,000 characters. */
export function buildMessages(random: () => number): string[] {
  const messages: string[] = [];
  for (let i = 0; i < 400; i += 1) {
    const target = 50 + Math.floor(random() ** 2 * 1950);
    const parts: string[] = [];
    let length = 0;
    while (length < target) {
      const pick = random();
      const part =
        pick < 0.3
          ? (TRIAGE_CORPUS[Math.floor(random() * TRIAGE_CORPUS.length)]?.text ?? '')
          : pick < 0.4
            ? `There is a ${HAZARDS[Math.floor(random() * HAZARDS.length)]} near ${PLACES[Math.floor(random() * PLACES.length)]} ${SPOTS[Math.floor(random() * SPOTS.length)]}`
            : (FILLER[Math.floor(random() * FILLER.length)] ?? '');
      parts.push(part);
      length += part.length + 2;
    }
    messages.push(`${parts.join('. ')}.`.slice(0, 2000));
  }
  return messages;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Run = { label: string; perSecond: number; perCpuSecond: number; p50: number; p99: number; foundPerMessage: number };

/** CPU seconds (user + system) this process has used since `since`. */
function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/**
 * Calls `score` on the messages in turn for a fixed time; times each call. Throughput is given per
 * second of wall clock and per second of CPU this process used: on a shared, loaded machine the
 * process is often not running at all, which the wall clock counts and the CPU clock does not.
 */
function timeFor(label: string, messages: string[], score: (text: string) => number): Run {
  const times: number[] = [];
  let found = 0;
  let index = 0;
  for (let i = 0; i < 200; i += 1) score(messages[i % messages.length] ?? ''); // warm up
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  while (performance.now() < deadline) {
    const text = messages[index % messages.length] ?? '';
    const t0 = performance.now();
    found += score(text);
    times.push((performance.now() - t0) * 1000);
    index += 1;
  }
  const cpu = cpuSecondsSince(cpuStart);
  const elapsed = (performance.now() - started) / 1000;
  return {
    label,
    perSecond: times.length / elapsed,
    perCpuSecond: times.length / cpu,
    p50: quantile(times, 0.5),
    p99: quantile(times, 0.99),
    foundPerMessage: found / times.length,
  };
}

const HEADER = '| what | messages/s | messages per CPU-second | p50 µs | p99 µs | matches per message |\n| --- | ---: | ---: | ---: | ---: | ---: |';
const row = (run: Run) => `| ${run.label} | ${fmt(run.perSecond, 0)} | ${fmt(run.perCpuSecond, 0)} | ${fmt(run.p50)} | ${fmt(run.p99)} | ${fmt(run.foundPerMessage, 2)} |`;

/** Median time of `runs` calls scoring one long text, in milliseconds. */
function timeLong(engine: TriageEngine, text: string, runs = Number(process.env.BENCH_TRIAGE_LONG_RUNS ?? 5)): { median: number; worst: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    engine.score(text);
    times.push(performance.now() - t0);
  }
  return { median: quantile(times, 0.5), worst: Math.max(...times) };
}

/** Real messages joined until the text is `length` characters long. */
function longText(pieces: string[], length: number): string {
  let text = '';
  for (let i = 0; text.length < length; i += 1) text += `${pieces[i % pieces.length] ?? ''} `;
  return text.slice(0, length);
}

/**
 * 1,000 active rules (with variants) scored on one core: over the evaluation corpus as written
 * (real-length messages), and over generated messages of 50–2,000 characters beside a baseline
 * in the same run (one case-insensitive regular expression alternation of the same phrases and
 * variants with word boundaries). Then how long one very long message holds the event loop.
 */
export function triageBenchmark(): void {
  const random = seeded(4);
  const rules = buildRules(random);
  const messages = buildMessages(random);
  const real = loadCorpus().map((item) => item.text);
  const patterns = rules.flatMap((rule) => [rule.phrase, ...(rule.variants ?? [])]);
  const buildStart = performance.now();
  const engine = new TriageEngine(1, rules);
  const buildMs = performance.now() - buildStart;
  // Longest first, so the alternation prefers the longest phrase at a position as the engine does.
  const alternation = new RegExp(`\\b(?:${[...patterns].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|')})\\b`, 'giu');
  const at = new Date('2026-07-01T13:00:00Z');
  const meanLength = messages.reduce((sum, m) => sum + m.length, 0) / messages.length;

  const realMean = real.reduce((sum, m) => sum + m.length, 0) / real.length;
  console.log(`triage: ${rules.length} rules, ${patterns.length} patterns; ${SECONDS}s each on one core (${cpus()[0]?.model ?? 'cpu'}), Node ${process.version}; engine built in ${fmt(buildMs)} ms`);
  console.log(`real-length: the ${real.length} evaluation corpus messages as written, mean ${fmt(realMean, 0)} chars`);
  const realRun = timeFor('engine.score, real-length messages', real, (text) => engine.score(text, { at }).matches.length);
  console.log(HEADER);
  console.log(row(realRun));
  if (!PARTS.has('generated')) return;
  console.log(`\ngenerated: ${messages.length} messages, mean ${fmt(meanLength, 0)} chars (50–2,000)`);
  const runs = [
    timeFor('engine.score (keywords + negation/quotes + all signals)', messages, (text) => engine.score(text, { at }).matches.length),
    timeFor('engine.findMatches (keywords only)', messages, (text) => engine.findMatches(text).length),
    timeFor('baseline: one RegExp alternation /\\b(?:…)\\b/giu', messages, (text) => text.match(alternation)?.length ?? 0),
  ];
  console.log(HEADER);
  for (const run of runs) console.log(row(run));
  const [score, keywords, regex] = runs;
  if (score && keywords && regex) {
    console.log(`ratio: keywords vs RegExp = ${fmt(keywords.perSecond / regex.perSecond, 2)}× throughput; full score vs RegExp = ${fmt(score.perSecond / regex.perSecond, 2)}×`);
  }
  if (!PARTS.has('long')) return;
  console.log('\none long message (real messages joined), engine.score, 5 runs: how long it holds the event loop');
  console.log('| characters | median ms | worst ms |');
  console.log('| ---: | ---: | ---: |');
  const lengths = (process.env.BENCH_TRIAGE_LONG ?? '10000,100000,150000,300000').split(',').map(Number);
  for (const length of lengths) {
    const { median, worst } = timeLong(engine, longText(real, length));
    console.log(`| ${length.toLocaleString('en-GB')} | ${fmt(median)} | ${fmt(worst)} |`);
  }
}
