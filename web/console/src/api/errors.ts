// The console's one error type. The server answers every refusal with one body (a stable code, a
// message, and the fields at fault, named by where they sit in the request: "body.rules.0.weight",
// with what a person calls each and the problem as a sentence naming it); here it becomes something
// a person can act on: each field's problem as a sentence that names the field ("Weight of rule 1
// must be 100 or less"), never the raw path. The server's sentence is used when it sends one; the
// wording below covers anything else.
import type { ErrorCode } from './types.ts';

/** One input at fault. */
export interface FieldError {
  /** Where it sits in the request body ("rules.0.weight"; "" for the body as a whole). Forms key their inputs by it. */
  path: string;
  /** A sentence naming the field and saying what to do. */
  message: string;
}

/** Anything the console shows in an error summary. */
export interface UiError {
  message: string;
  fields: FieldError[];
}

/** The server's codes, and the two that only the console gives (the server was not reached or made no sense). */
export type ApiErrorCode = ErrorCode | 'network_error' | 'bad_response';

export class ApiError extends Error implements UiError {
  override name = 'ApiError';
  constructor(
    /** The HTTP status; 0 when the server was not reached. */
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
  }
}

const FALLBACK_MESSAGES: Partial<Record<ApiErrorCode, string>> = {
  unauthenticated: 'Your session has ended. Sign in again.',
  forbidden: 'You do not have permission to do that.',
  not_found: 'That record could not be found.',
  conflict: 'That change conflicts with the current state. Refresh and try again.',
  rate_limited: 'Too many attempts. Wait a moment and try again.',
  network_error: 'Could not reach the server. Check your connection and try again.',
};

function fallbackMessage(status: number, code: ApiErrorCode): string {
  const known = FALLBACK_MESSAGES[code];
  if (known) return known;
  if (status >= 500) return 'Something went wrong on the server. Try again.';
  return 'The request could not be completed.';
}

/**
 * Whether a change was refused because the record was changed by someone else after it was read
 * (decisions 0079, 0082): the server names the version sent as the field at fault.
 */
export function isChangedSinceRead(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 409 && error.fields.some((field) => field.path === 'version');
}

/** The error for a request that never reached the server. */
export function networkError(): ApiError {
  return new ApiError(0, 'network_error', fallbackMessage(0, 'network_error'));
}

/** A field as the server sent it; `label` and `sentence` may be missing from a body made elsewhere. */
interface ServerIssue {
  path: string;
  message: string;
  label?: string;
  sentence?: string;
}

/** The error body, read leniently (a proxy or an older server may send less). */
interface ServerErrorBody {
  error: { code: ErrorCode; message: string; fields?: ServerIssue[] };
}

function isErrorBody(value: unknown): value is ServerErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && 'message' in error && typeof error.message === 'string';
}

/** The message the server writes from its fields' sentences when the use case wrote none of its own. */
function summaryOfSentences(sentences: readonly string[]): string {
  return sentences.map((sentence) => (/[.!?]$/.test(sentence) ? sentence : `${sentence}.`)).join(' ');
}

/**
 * The typed error for a response that was not a success. `body` is what came back: the one error
 * body, or (from a proxy in front of the server, say) anything else.
 */
export function errorFromResponse(status: number, body: unknown): ApiError {
  if (!isErrorBody(body)) return new ApiError(status, status >= 500 ? 'internal' : 'bad_response', fallbackMessage(status, 'internal'));
  const { code, message, fields: issues = [] } = body.error;
  const fields = issues.map((issue) => (issue.sentence ? { path: nameField(issue.path).path, message: issue.sentence } : describeIssue(issue.path, issue.message)));
  // A summary that repeats the fields (their sentences, or their raw paths from an older
  // server: "Invalid input: body.note: …") is left out: the fields say it, one by one, each
  // by its input.
  const sentences = issues.flatMap((issue) => (issue.sentence ? [issue.sentence] : []));
  const isFieldSummary = issues.length > 0 && sentences.length === issues.length && message === summaryOfSentences(sentences);
  const isRawSummary = issues.some((issue) => message.includes(issue.path));
  const shown = isFieldSummary || isRawSummary ? '' : message || fallbackMessage(status, code);
  return new ApiError(status, code, shown, fields);
}

// --- naming a field ------------------------------------------------------------------------

/** What people call each request field. Fields not listed are named from their key ("staffId" → "Staff id"). */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  body: 'Reply',
  category: 'Category',
  currentPassword: 'Your current password',
  email: 'Email address',
  grade: 'Grade',
  newPassword: 'Your new password',
  note: 'Note',
  number: 'Phone number',
  outcome: 'Outcome',
  password: 'Password',
  phrase: 'Phrase',
  presence: 'Presence',
  rationale: 'Rationale',
  rating: 'Rating',
  reason: 'Reason',
  rules: 'Rules',
  staffId: 'Person',
  text: 'Message',
  variants: 'Variants',
  weight: 'Weight',
};

/** One item of a list field, as a person counts it ("rules" → "rule"). */
const ITEM_NAMES: Readonly<Record<string, string>> = { rules: 'rule', variants: 'variant' };

const REQUEST_PARTS = new Set(['body', 'query', 'params']);

function nameOf(key: string): string {
  const named = FIELD_NAMES[key];
  if (named) return named;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function itemOf(key: string): string {
  // "capabilities" → "capability", "rules" → "rule".
  return ITEM_NAMES[key] ?? nameOf(key).toLowerCase().replace(/ies$/, 'y').replace(/s$/, '');
}

const lowerFirst = (text: string) => (/^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text);
const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The server's path ("body.rules.0.weight") split into where it is in the request body
 * ("rules.0.weight") and what a person calls it ("Weight of rule 1").
 */
export function nameField(serverPath: string): { path: string; label: string } {
  const segments = serverPath.split('.').filter((s) => s !== '');
  const [where, ...inside] = segments;
  const rest = where !== undefined && REQUEST_PARTS.has(where) ? inside : segments;
  // Forms name their inputs by where they sit in the body; a query or path parameter keeps its prefix.
  const path = where === 'body' ? rest.join('.') : serverPath;
  if (rest.length === 0) return { path, label: 'What was sent' };

  // Pair each key with the position that follows it, if any: rules.0.weight → rules[0], weight.
  const parts: { key: string; index?: number }[] = [];
  for (const segment of rest) {
    const last = parts[parts.length - 1];
    if (/^\d+$/.test(segment) && last && last.index === undefined) last.index = Number(segment);
    else parts.push({ key: segment });
  }
  const [field, ...parents] = [...parts].reverse();
  if (!field) return { path, label: 'What was sent' };
  let label = field.index === undefined ? nameOf(field.key) : `${upperFirst(itemOf(field.key))} ${field.index + 1}`;
  for (const parent of parents) {
    label = parent.index === undefined ? `${nameOf(parent.key)} ${lowerFirst(label)}` : `${label} of ${itemOf(parent.key)} ${parent.index + 1}`;
  }
  return { path, label };
}

// --- saying what is wrong -------------------------------------------------------------------

/** Words that start a server message written to follow the field's name ("is not a channel"). */
const PREDICATE = /^(is|are|must|cannot|can|should|does|do|has|have|contains|needs|may)\b/;

type Rewrite = [RegExp, (label: string, match: RegExpExecArray) => string];

// The validator's own wording (zod), turned into plain instructions.
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

/** One issue from the server as a field error: its body-relative path and a sentence naming the field. */
export function describeIssue(serverPath: string, problem: string): FieldError {
  const { path, label } = nameField(serverPath);
  for (const [pattern, write] of REWRITES) {
    const match = pattern.exec(problem);
    if (match) return { path, message: write(label, match) };
  }
  if (PREDICATE.test(problem)) return { path, message: `${label} ${problem}` };
  return { path, message: `${label}: ${lowerFirst(problem)}` };
}

// --- for screens ---------------------------------------------------------------------------

const unexpected = new WeakMap<object, UiError>();
const UNEXPECTED: UiError = { message: 'Something went wrong. Try again.', fields: [] };

/**
 * What to show for a failure. The same failure always gives the same object, so a summary that
 * takes focus when its error changes does not take it again on every render.
 */
export function toUiError(err: unknown): UiError | null {
  if (err === null || err === undefined) return null;
  if (err instanceof ApiError) return err;
  if (typeof err !== 'object') return UNEXPECTED;
  let shown = unexpected.get(err);
  if (!shown) {
    shown = { ...UNEXPECTED };
    unexpected.set(err, shown);
  }
  return shown;
}

/** An error found before sending: the fields' own sentences, no summary line. */
export function invalidFields(fields: FieldError[]): UiError {
  return { message: '', fields };
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
