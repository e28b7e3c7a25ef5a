import type { BilingualContribution } from './triage.signals.ts';
import { PRIORITY_LABELS, PRIORITY_LABELS_CY, type ExplanationLanguage, type MatchReading, type Priority } from './triage.schema.ts';

// The explanation an operator reads, in English and in Welsh, written from what the engine
// decided. Both are produced for every result so that whoever opens the contact reads it in
// their own language without scoring again.

const CATEGORY_CY: Record<string, string> = {
  weapons: 'arfau',
  threat_to_life: 'bygythiad i fywyd',
  self_harm: 'hunan-niwed',
  domestic_abuse: 'cam-drin domestig',
  child_at_risk: 'plentyn mewn perygl',
  missing_person: 'person ar goll',
  hate: 'casineb',
  road_danger: 'perygl ar y ffordd',
  violence: 'trais',
  sexual_offence: 'trosedd rywiol',
  fire: 'tân',
  exclusion: 'eithriad',
};

/** A category's name as an operator reads it. */
export function categoryName(category: string, language: ExplanationLanguage): string {
  return language === 'cy' ? (CATEGORY_CY[category] ?? category.replace(/_/gu, ' ')) : category.replace(/_/gu, ' ');
}

const READING: Record<ExplanationLanguage, Record<MatchReading, string>> = {
  en: { plain: 'as written', leet: 'with numbers or symbols for letters', spaced: 'with its letters spaced out', emoji: 'as an emoji', expanded: 'in a short form', typo: 'as a one-letter misspelling' },
  cy: { plain: 'fel y mae', leet: 'gyda rhifau neu symbolau yn lle llythrennau', spaced: "gyda'r llythrennau ar wahân", emoji: 'fel emoji', expanded: 'ar ffurf fer', typo: 'fel camsillafiad un llythyren' },
};

export type PriorityReason =
  | { kind: 'line'; line: string }
  | { kind: 'life'; text: string }
  | { kind: 'pattern'; priority: Priority; text: string; label: { en: string; cy: string } }
  | { kind: 'score'; priority: Priority; min: number }
  | { kind: 'below'; min: number };

export type ExplainInput = {
  version: number;
  counted: number;
  negated: { text: string; by: string }[];
  reported: string[];
  uncorroborated: string[];
  hyperbole: string[];
  readings: { text: string; as: string; reading: MatchReading }[];
  patterns: { text: string; label: { en: string; cy: string } }[];
  contributions: BilingualContribution[];
  score: number;
  raw: number;
  reason: PriorityReason;
  scoredLength?: number;
};

const signed = (points: number) => `${points >= 0 ? '+' : '−'}${Math.abs(points)}`;

function explainEnglish(input: ExplainInput): string[] {
  const out: string[] = [];
  if (input.counted === 0) out.push(`No rule in rule set v${input.version} counted.`);
  else out.push(`Rule set v${input.version}: ${input.counted} rule${input.counted === 1 ? '' : 's'} counted.`);
  if (input.scoredLength !== undefined) out.push(`Only the first ${input.scoredLength.toLocaleString('en-GB')} characters were scored.`);
  for (const r of input.readings) out.push(`"${r.text}" was read as "${r.as}" (${READING.en[r.reading]}).`);
  for (const p of input.patterns) out.push(`"${p.text}": ${p.label.en}.`);
  for (const n of input.negated) out.push(`"${n.text}" did not count: "${n.by}" comes just before it.`);
  for (const text of input.reported) {
    out.push(`"${text}" counted half: it is inside quotation marks or a sentence about the news, a film, statistics, a share or sympathy.`);
  }
  for (const text of input.uncorroborated) out.push(`"${text}" counted half: a single word with no person or place near it.`);
  for (const text of input.hyperbole) out.push(`"${text}" did not count: it reads as a joke or a figure of speech.`);
  if (input.contributions.length > 0) {
    const sum = input.contributions.map((c) => `${signed(c.points)} ${c.label}`).join(', ');
    out.push(`Score ${input.score} from ${sum}${input.raw !== input.score ? ` (raw ${input.raw}, kept within 0–100)` : ''}.`);
  } else {
    out.push('Score 0: nothing in the message or its context adds risk.');
  }
  const reason = input.reason;
  if (reason.kind === 'line') out.push(`Priority 1 (${PRIORITY_LABELS[1]}): the contact came in on the ${reason.line} emergency line.`);
  else if (reason.kind === 'life') out.push(`Priority 1 (${PRIORITY_LABELS[1]}): "${reason.text}" signals a threat to life.`);
  else if (reason.kind === 'pattern') out.push(`Priority ${reason.priority} (${PRIORITY_LABELS[reason.priority]}): "${reason.text}" is ${reason.label.en}.`);
  else if (reason.kind === 'score') out.push(`Priority ${reason.priority} (${PRIORITY_LABELS[reason.priority]}): score is ${reason.min} or more.`);
  else out.push(`Priority 4 (${PRIORITY_LABELS[4]}): score is below ${reason.min}.`);
  return out;
}

function explainWelsh(input: ExplainInput): string[] {
  const out: string[] = [];
  if (input.counted === 0) out.push(`Ni chyfrodd unrhyw reol yn set reolau f${input.version}.`);
  else out.push(`Set reolau f${input.version}: cyfrodd ${input.counted} ${input.counted === 1 ? 'rheol' : 'o reolau'}.`);
  if (input.scoredLength !== undefined) out.push(`Dim ond y ${input.scoredLength.toLocaleString('en-GB')} nod cyntaf a sgoriwyd.`);
  for (const r of input.readings) out.push(`Darllenwyd "${r.text}" fel "${r.as}" (${READING.cy[r.reading]}).`);
  for (const p of input.patterns) out.push(`"${p.text}": ${p.label.cy}.`);
  for (const n of input.negated) out.push(`Ni chyfrodd "${n.text}": daw "${n.by}" yn union o'i flaen.`);
  for (const text of input.reported) {
    out.push(`Cyfrodd "${text}" hanner: mae rhwng dyfynodau neu mewn brawddeg am y newyddion, ffilm, ystadegau, rhannu neges neu gydymdeimlad.`);
  }
  for (const text of input.uncorroborated) out.push(`Cyfrodd "${text}" hanner: un gair heb berson na lle yn agos ato.`);
  for (const text of input.hyperbole) out.push(`Ni chyfrodd "${text}": mae'n darllen fel jôc neu ffigur ymadrodd.`);
  if (input.contributions.length > 0) {
    const sum = input.contributions.map((c) => `${signed(c.points)} ${c.labelCy}`).join(', ');
    out.push(`Sgôr ${input.score} o ${sum}${input.raw !== input.score ? ` (crai ${input.raw}, wedi'i gadw rhwng 0 a 100)` : ''}.`);
  } else {
    out.push("Sgôr 0: does dim yn y neges na'i chyd-destun yn ychwanegu risg.");
  }
  const reason = input.reason;
  if (reason.kind === 'line') out.push(`Blaenoriaeth 1 (${PRIORITY_LABELS_CY[1]}): daeth y cyswllt i mewn ar linell argyfwng ${reason.line}.`);
  else if (reason.kind === 'life') out.push(`Blaenoriaeth 1 (${PRIORITY_LABELS_CY[1]}): mae "${reason.text}" yn arwydd o fygythiad i fywyd.`);
  else if (reason.kind === 'pattern') out.push(`Blaenoriaeth ${reason.priority} (${PRIORITY_LABELS_CY[reason.priority]}): mae "${reason.text}" yn ${reason.label.cy}.`);
  else if (reason.kind === 'score') out.push(`Blaenoriaeth ${reason.priority} (${PRIORITY_LABELS_CY[reason.priority]}): mae'r sgôr yn ${reason.min} neu fwy.`);
  else out.push(`Blaenoriaeth 4 (${PRIORITY_LABELS_CY[4]}): mae'r sgôr yn is na ${reason.min}.`);
  return out;
}

/** The explanation in English and in Welsh. */
export function explain(input: ExplainInput): Record<ExplanationLanguage, string[]> {
  return { en: explainEnglish(input), cy: explainWelsh(input) };
}

