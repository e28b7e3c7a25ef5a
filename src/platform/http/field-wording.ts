import type { FieldIssue } from '../errors.ts';

// A refused field said in words a member of staff or the public can act on ("Weight of rule 1
// must be 100 or less"), never as the place it sits in the request ("body.rules.0.weight"). The
// label comes from the route's schema where a field has a title (`.meta({ title: 'Reply' })`),
// otherwise from the field's key; the problem is the schema's own message, or the validator's
// wording turned into an instruction. The path stays in each issue for programs.

/** A field issue with what a person calls the field and the whole sentence to show them. */
export type WordedFieldIssue = FieldIssue & { label: string; sentence: string };

/** The route's schemas, by the part of the request each checks. */
export type RequestSchemas = { body?: unknown; querystring?: unknown; params?: unknown };

/** What people call request fields whose key says it badly. Others are named from their key ("staffId" → "Staff id"). */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  currentPassword: 'Your current password',
  email: 'Email address',
  newPassword: 'Your new password',
  number: 'Phone number',
  staffId: 'Person',
  text: 'Message',
};

/** One item of a list, as a person counts it ("rules" → "rule"). */
const ITEM_NAMES: Readonly<Record<string, string>> = { rules: 'rule', variants: 'variant', entries: 'entry', categories: 'category' };

const REQUEST_PARTS: Readonly<Record<string, keyof RequestSchemas>> = { body: 'body', query: 'querystring', params: 'params' };

/**
 * `table[key]` if the table itself has it. The key is the sender's ("constructor", "toString"):
 * indexed plainly, a table answers with what every object inherits, a function, not a name.
 */
function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function nameOfKey(key: string): string {
  const named = ownEntry(FIELD_NAMES, key);
  if (named) return named;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function itemOfKey(key: string): string {
  // "capabilities" → "capability", "rules" → "rule".
  return ownEntry(ITEM_NAMES, key) ?? nameOfKey(key).toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type SchemaLike = { _zod: { def: Record<string, unknown> }; meta?: () => unknown };

function isSchema(value: unknown): value is SchemaLike {
  return typeof value === 'object' && value !== null && '_zod' in value && typeof value._zod === 'object' && value._zod !== null && 'def' in value._zod;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The schema inside optional, nullable, default and pipe wrappers. */
function unwrapped(schema: SchemaLike): SchemaLike {
  let current = schema;
  for (let depth = 0; depth < 16; depth++) {
    const def = current._zod.def;
    const inner = WRAPPERS.has(String(def.type)) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    if (!isSchema(inner)) return current;
    current = inner;
  }
  return current;
}

/** The schema of one key (or list position) inside `schema`, if it can be found. */
function childSchema(schema: SchemaLike | undefined, key: string): SchemaLike | undefined {
  if (!schema) return undefined;
  const def = unwrapped(schema)._zod.def;
  if (def.type === 'object' && typeof def.shape === 'object' && def.shape !== null) {
    const child: unknown = Object.hasOwn(def.shape, key) ? (def.shape as Record<string, unknown>)[key] : undefined;
    return isSchema(child) ? child : undefined;
  }
  if (def.type === 'array' && /^\d+$/.test(key)) return isSchema(def.element) ? def.element : undefined;
  if (def.type === 'record') return isSchema(def.valueType) ? def.valueType : undefined;
  return undefined;
}

/** A title the schema gives a field, looking through its wrappers. */
function titleOf(schema: SchemaLike | undefined): string | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 16; depth++) {
    const meta: unknown = typeof current.meta === 'function' ? current.meta() : undefined;
    if (typeof meta === 'object' && meta !== null && 'title' in meta && typeof meta.title === 'string') return meta.title;
    const def = current._zod.def;
    const inner = WRAPPERS.has(String(def.type)) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    current = isSchema(inner) ? inner : undefined;
  }
  return undefined;
}

/** What a person calls the field at `path` ("body.rules.0.weight" → "Weight of rule 1"). */
export function labelOfField(path: string, schemas: RequestSchemas = {}): string {
  const segments = path.split('.').filter((s) => s !== '');
  const part = segments[0] !== undefined ? ownEntry(REQUEST_PARTS, segments[0]) : undefined;
  const rest = part ? segments.slice(1) : segments;
  if (rest.length === 0) return 'What was sent';
  const root = part ? schemas[part] : schemas.body;
  // Each key with its schema and the list position that follows it, if any: rules.0.weight → rules[0], weight.
  const parts: { key: string; index?: number; title?: string | undefined }[] = [];
  let schema: SchemaLike | undefined = isSchema(root) ? root : undefined;
  for (const segment of rest) {
    schema = childSchema(schema, segment);
    const last = parts[parts.length - 1];
    if (/^\d+$/.test(segment) && last && last.index === undefined) last.index = Number(segment);
    else parts.push({ key: segment, title: titleOf(schema) });
  }
  const [field, ...parents] = [...parts].reverse();
  if (!field) return 'What was sent';
  let label = field.index === undefined ? (field.title ?? nameOfKey(field.key)) : `${upperFirst(itemOfKey(field.key))} ${field.index + 1}`;
  for (const parent of parents) {
    label = parent.index === undefined ? `${parent.title ?? nameOfKey(parent.key)} ${lowerFirst(label)}` : `${label} of ${itemOfKey(parent.key)} ${parent.index + 1}`;
  }
  return label;
}

/** Words that start a message written to follow the field's name ("is not a channel"). */
const PREDICATE = /^(is|are|must|cannot|can|should|does|do|has|have|contains|needs|may|was|were)\b/;

type Rewrite = [RegExp, (label: string, match: RegExpExecArray) => string];

// The validator's own wording (zod), as plain instructions.
const REWRITES: Rewrite[] = [
  [/^Too small: expected string to have >=1 characters?/, (label) => `${label} cannot be empty`],
  [/^Too small: expected string to have >=?(\d+) characters?/, (label, m) => `${label} must be at least ${m[1]} characters`],
  [/^Too big: expected string to have <=?(\d+) characters?/, (label, m) => `${label} must be ${Number(m[1]).toLocaleString('en-GB')} characters or fewer`],
  [/^Too small: expected number to be >=(-?[\d.]+)/, (label, m) => `${label} must be ${m[1]} or more`],
  [/^Too small: expected number to be >(-?[\d.]+)/, (label, m) => `${label} must be more than ${m[1]}`],
  [/^Too big: expected number to be <=(-?[\d.]+)/, (label, m) => `${label} must be ${m[1]} or less`],
  [/^Too big: expected number to be <(-?[\d.]+)/, (label, m) => `${label} must be less than ${m[1]}`],
  [/^Too small: expected array to have >=?(\d+) items?/, (label, m) => `${label} must have at least ${m[1]} ${m[1] === '1' ? 'entry' : 'entries'}`],
  [/^Too big: expected array to have <=?(\d+) items?/, (label, m) => `${label} must have at most ${m[1]} ${m[1] === '1' ? 'entry' : 'entries'}`],
  [/^Invalid input: expected \w+, received undefined/, (label) => `${label} is missing`],
  [/^Invalid input: expected int\b/, (label) => `${label} must be a whole number`],
  [/^Invalid input: expected number\b/, (label) => `${label} must be a number`],
  [/^Invalid (?:option|input): expected one of/, (label) => `${label} must be one of the choices offered`],
  [/^Invalid email address/, (label) => `${label} must be an email address, like name@example.org`],
  [/^Invalid (?:string|UUID|uuid|format|input)\b/, (label) => `${label} is not in the expected form`],
  [/^Unrecognized keys?: (.*)/, (label, m) => `${label} included something that is not accepted here: ${m[1] ?? ''}`],
];

/** The problem with one field as a sentence that starts with the field's name. */
export function sentenceFor(label: string, problem: string): string {
  for (const [pattern, write] of REWRITES) {
    const match = pattern.exec(problem);
    if (match) return write(label, match);
  }
  if (PREDICATE.test(problem)) return `${label} ${problem}`;
  return `${label}: ${lowerFirst(problem)}`;
}

/** Each issue with its label and sentence. */
export function wordFieldIssues(fields: readonly FieldIssue[], schemas: RequestSchemas = {}): WordedFieldIssue[] {
  return fields.map((field) => {
    const label = field.label ?? labelOfField(field.path, schemas);
    return { ...field, label, sentence: sentenceFor(label, field.message) };
  });
}

/** The one message for a refusal whose fields say what is wrong: their sentences, each ending in a full stop. */
export function summariseFieldIssues(worded: readonly WordedFieldIssue[]): string {
  return worded.map((issue) => (/[.!?]$/.test(issue.sentence) ? issue.sentence : `${issue.sentence}.`)).join(' ');
}
