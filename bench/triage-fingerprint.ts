import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { TRIAGE_CORPUS } from '../src/capabilities/triage/corpus.schema.ts';
import { TriageEngine } from '../src/capabilities/triage/triage.engine.ts';
import { normaliseText } from '../src/capabilities/triage/triage.normalise.ts';
import { DEFAULT_RULES } from '../src/capabilities/triage/triage.default-rules.ts';
import type { TriageContext } from '../src/capabilities/triage/triage.schema.ts';
import { buildMessages, buildRules, seeded } from './triage.bench.ts';
import { loadCorpus } from './triage-quality.bench.ts';

// A fingerprint of everything the triage engine answers, to show that a change meant to make it
// faster changed no result. Every message of the evaluation corpus, the unit corpus, the
// benchmark's generated messages, edge cases and seeded mutations of real messages (odd spacing,
// capitals, leetspeak, quotes, emoji, links) is scored with the default rules and with the
// benchmark's 1,000 rules, in several contexts (day and night, English and Welsh explanations,
// the emergency line and person flags); every full result, `findMatches` and the normaliser's
// tokens are hashed. Usage: npx tsx bench/triage-fingerprint.ts [file to write every line to]

const EDGE_CASES = [
  '',
  ' ',
  '\n\n',
  'knife',
  'KNIFE!!! HE HAS A KNIFE!!!',
  'k n i f e',
  'k.i.l.l m.e',
  's-t-a-b-b-e-d',
  'kn!fe r@pe $tab k*ll 5u1c1d3 k1ll',
  'he said "I will kill you" and then laughed 😂',
  "she said 'you're dead' to me",
  'RT @news: man stabbed in town centre https://example.com/story',
  'via @someone knife attack at www.example.co.uk',
  'email me at someone@example.com about the knife',
  '#knife @knife knife.com',
  'Mae ganddo gyllell ac mae e wedi bygwth fy lladd i',
  'Dw i ddim yn teimlo’n saff, mae fy mhartner yn fy mygwth',
  'Tân! Mae tân yn y tŷ!!!',
  'I’m not going to hurt myself',
  'mum will kill me if I fail lol',
  'my partner hit me. my partner hit me again.',
  '😀😀 my partner HIT me 🔪🔪',
  '\u{1F468}\u200D\u{1F469}\u200D\u{1F467} family knife \u{1F44D}\u{1F3FD}',
  'a\u0301ccent\u0301s and “curly quotes” and ‘single’ ones',
  'Missing: my son hasn’t come home, his phone is off',
  'He said he would kill me. He has a gun. Help please, now!!',
  'Knife Crime Statistics For My Area',
  'threatend strangeled macheete stabed knofe nife',
  'no knife, not armed, never had a gun',
  '10:30 on 1.2.2026, 3 4 5 6 7 8 9 0 1',
  '...!!!???...',
  '\u200b\u200bknife\u200b',
  '\ud83d lone surrogate \ude00 knife',
  "o'clock mae'n i'r he's she'd they'll won't can't shouldn't",
  'x'.repeat(3000),
  'kill '.repeat(2000),
];

const MUTATIONS: ((text: string, random: () => number) => string)[] = [
  (t) => t.toUpperCase(),
  (t) => t.replace(/ /gu, '  '),
  (t) => t.replace(/e/gu, '3').replace(/a/gu, '4'),
  (t) => `"${t}"`,
  (t) => `RT @someone ${t}`,
  (t) => `${t} lol 😂`,
  (t) => t.replace(/\./gu, '!!'),
  (t) => t.replace(/ /gu, '\n'),
  (t) => t.split('').join(' '),
  (t, r) => {
    const at = Math.floor(r() * t.length);
    return `${t.slice(0, at)}${t.slice(at + 1)}`;
  },
  (t, r) => {
    const at = Math.floor(r() * t.length);
    return `${t.slice(0, at)} https://example.com/x?y=1 ${t.slice(at)}`;
  },
  (t) => t.replace(/'/gu, '’').replace(/i/gu, '!'),
];

function texts(): { section: string; text: string }[] {
  const random = seeded(17);
  const corpus = loadCorpus().map((item) => item.text);
  const out: { section: string; text: string }[] = [];
  for (const text of corpus) out.push({ section: 'corpus', text });
  for (const item of TRIAGE_CORPUS) out.push({ section: 'unit-corpus', text: item.text });
  for (const text of buildMessages(seeded(4))) out.push({ section: 'generated', text });
  for (const text of EDGE_CASES) out.push({ section: 'edge', text });
  for (let i = 0; i < 1500; i += 1) {
    const base = corpus[Math.floor(random() * corpus.length)] ?? '';
    const mutate = MUTATIONS[Math.floor(random() * MUTATIONS.length)];
    out.push({ section: 'mutated', text: mutate ? mutate(base, random) : base });
  }
  let long = '';
  for (let i = 0; long.length < 120_000; i += 1) long += `${corpus[i % corpus.length] ?? ''} `;
  out.push({ section: 'long', text: long });
  return out;
}

const CONTEXTS: TriageContext[] = [
  {},
  { at: new Date('2026-03-04T14:00:00Z') },
  { at: new Date('2026-07-01T22:30:00Z'), explainIn: 'cy' },
  { at: new Date('2026-01-10T02:00:00Z'), line: '999', channel: 'sms', isVulnerable: true, repeatContactsInLastDays: 5, previousHighRisk: true },
  { channel: '112', repeatContactsInLastDays: 2, explainIn: 'cy' },
];

function tokensOf(text: string): unknown {
  const n = normaliseText(text);
  return [n.tokens.map((t) => [t.text, t.start, t.end, t.kind, t.origin, t.sentence, t.clause, t.quote]), n.quotes, n.sentenceCount, n.capsWords, n.shoutedWords, n.exclamationRuns, n.isShare, n.readLength];
}

export function triageFingerprint(dump?: string): { total: string; sections: Record<string, string>; lines: number } {
  const engines = [
    new TriageEngine(1, DEFAULT_RULES.map((rule, index) => ({ ...rule, id: `d${index}` }))),
    new TriageEngine(7, buildRules(seeded(4))),
  ];
  const total = createHash('sha256');
  const sections = new Map<string, ReturnType<typeof createHash>>();
  const lines: string[] = [];
  let count = 0;
  const add = (section: string, value: unknown) => {
    const line = JSON.stringify(value);
    total.update(line).update('\n');
    let hash = sections.get(section);
    if (!hash) sections.set(section, (hash = createHash('sha256')));
    hash.update(line).update('\n');
    if (dump) lines.push(`${section}\t${line}`);
    count += 1;
  };
  for (const { section, text } of texts()) {
    add(section, ['tokens', tokensOf(text)]);
    for (const [e, engine] of engines.entries()) {
      add(section, ['findMatches', e, engine.findMatches(text)]);
      for (const [c, context] of CONTEXTS.entries()) add(section, ['score', e, c, engine.score(text, context)]);
    }
  }
  if (dump) writeFileSync(dump, `${lines.join('\n')}\n`);
  const out: Record<string, string> = {};
  for (const [name, hash] of sections) out[name] = hash.digest('hex').slice(0, 16);
  return { total: total.digest('hex'), sections: out, lines: count };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { total, sections, lines } = triageFingerprint(process.argv[2]);
  console.log(`triage fingerprint: ${lines} results, sha256 ${total}`);
  for (const [name, hash] of Object.entries(sections)) console.log(`  ${name}: ${hash}`);
}
