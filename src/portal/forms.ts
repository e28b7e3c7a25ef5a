import { z } from 'zod';
import type { Messages } from './i18n.ts';
import { normaliseCode } from '../capabilities/report-status/report-status.service.ts';
import { normalisePhone } from '../capabilities/people/people.schema.ts';
import { toStorableText } from '../platform/db/storable-text.ts';
import { writtenText } from '../platform/visible-text.ts';
import { isId } from '../platform/ids.ts';
import { parseEmailAddress, type EmailAddressProblem } from '../platform/email-address.ts';

/**
 * The portal's form schemas. Every error message is a key of the `errors` section of the locale
 * files, so one schema serves both languages and the page words the error for its reader.
 */
export type ErrorKey = keyof Messages['errors'];

/**
 * What a url-encoded body can hold: strings, or lists of strings when a field is repeated. Routes
 * accept any such body and the handler validates it field by field, so a bad answer re-renders the
 * question page with GOV.UK errors instead of failing the request. Unknown fields are ignored.
 */
export const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string()).max(50)]));
export type FormBody = z.infer<typeof formBody>;

/** `?lang=cy`; anything else (a list, an unknown language) is ignored rather than refused. */
export const langQuery = z.object({ lang: z.union([z.string(), z.array(z.string())]).optional() });

/**
 * What a field that is not one string is told: missing, it was not answered; a list (the field
 * posted twice, which no browser does for a text box) is neither too long nor blank, so the
 * person is asked to check it rather than told something untrue of what they typed.
 */
const notOneString = (missing: ErrorKey) => (issue: { input?: unknown }): ErrorKey => (issue.input === undefined ? missing : 'invalid');

function requiredText(required: ErrorKey, tooLong: ErrorKey, max: number) {
  return writtenText(z.string({ error: notOneString(required) }), { blank: required, tooLong }, max);
}

export const dangerForm = z.object({
  danger: z.enum(['yes', 'no'], { error: 'dangerRequired' satisfies ErrorKey }),
});

export const LIMITS = { whatHappened: 10_000, where: 500, when: 200, name: 200, email: 254, phone: 40, reference: 40 } as const;

/** Free text from the public, made storable (a NUL or a lone surrogate would be refused by PostgreSQL). */
const storable = (value: string) => toStorableText(value);

/** An optional field: absent or blank is null. */
function optionalText(tooLong: ErrorKey, max: number) {
  return z
    .string({ error: notOneString(tooLong) })
    .trim()
    .max(max, { error: tooLong })
    .optional()
    .transform((value) => (value ? value : null));
}

/**
 * The report form, for one posted `body`. The reporter gives an email address, a phone number or
 * both; where the force's setting `allowsAnonymous` is on they may instead tick "do not contact
 * me", and then any address or number typed is neither checked nor kept. Without the setting the
 * box is not offered, and a form claiming it is treated as not ticked.
 */
export function detailsForm(allowsAnonymous: boolean, body: unknown) {
  const isAnonymous = allowsAnonymous && body !== null && typeof body === 'object' && (body as Record<string, unknown>).anonymous === 'yes';
  // Three forms in all: built once each, not on every post (building a schema costs more than using it).
  const key = `${allowsAnonymous ? 'a' : '-'}${isAnonymous ? 'a' : '-'}`;
  let schema = detailsForms.get(key);
  if (!schema) {
    schema = buildDetailsForm(allowsAnonymous, isAnonymous);
    detailsForms.set(key, schema);
  }
  return schema;
}

const detailsForms = new Map<string, ReturnType<typeof buildDetailsForm>>();

/** What the report form says of each refused email address. */
const EMAIL_ERRORS: Record<EmailAddressProblem, ErrorKey> = { format: 'emailInvalid', localPartNotAscii: 'emailNotSendable', tooLong: 'emailTooLong' };

function buildDetailsForm(allowsAnonymous: boolean, isAnonymous: boolean) {
  const notRead = z.unknown().optional().transform(() => null);
  // Kept as our senders need it, its domain in ASCII; the form shows back what was typed (decision 0146).
  const email = optionalText('emailTooLong', LIMITS.email).transform((value, ctx) => {
    if (value === null) return null;
    const parsed = parseEmailAddress(value);
    if (parsed.ok) return parsed.address;
    ctx.issues.push({ code: 'custom', message: EMAIL_ERRORS[parsed.problem], input: value });
    return z.NEVER;
  });
  const phone = optionalText('phoneTooLong', LIMITS.phone)
    .transform((value) => (value === null ? null : (normalisePhone(value) ?? '')))
    .pipe(z.string().min(1, { error: 'phoneInvalid' satisfies ErrorKey }).nullable());
  const missing: ErrorKey = allowsAnonymous ? 'contactRequiredAnonymous' : 'contactRequired';
  return z
    .object({
      whatHappened: requiredText('whatHappenedRequired', 'whatHappenedTooLong', LIMITS.whatHappened).transform(storable),
      where: requiredText('whereRequired', 'whereTooLong', LIMITS.where).transform(storable),
      when: requiredText('whenRequired', 'whenTooLong', LIMITS.when).transform(storable),
      name: optionalText('nameTooLong', LIMITS.name).transform((value) => (value === null ? null : storable(value))),
      email: isAnonymous ? notRead : email,
      phone: isAnonymous ? notRead : phone,
    })
    .refine((data) => isAnonymous || isGiven(data.email) || isGiven(data.phone), {
      error: missing,
      path: ['email'],
      // Checked even when another field is wrong, so every problem is shown at once.
      when: () => true,
    });
}

/** Whether a contact field holds anything (a value that failed its own check still counts as given). */
function isGiven(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

export const checkForm = z.object({
  reference: requiredText('referenceRequired', 'referenceTooLong', LIMITS.reference),
});

export const codeForm = z.object({
  code: z
    .string({ error: 'codeRequired' satisfies ErrorKey })
    .max(100, { error: 'codeFormat' satisfies ErrorKey })
    .transform(normaliseCode)
    .pipe(z.string().min(1, { error: 'codeRequired' satisfies ErrorKey }).regex(/^\d{6}$/, { error: 'codeFormat' satisfies ErrorKey })),
});

export type FieldErrors = Partial<Record<string, ErrorKey>>;

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

function isErrorKey(value: string, messages: Messages): value is ErrorKey {
  return Object.hasOwn(messages.errors, value);
}

/** Validates a form; on failure returns the first problem of each field, in the schema's order. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown, messages: Messages): Parsed<z.output<S>> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : '';
    if (!field || errors[field]) continue;
    // A message that is not one of ours (a zod default) still shows a sensible error.
    errors[field] = isErrorKey(issue.message, messages) ? issue.message : 'invalid';
  }
  return { ok: false, errors };
}

/**
 * The id a form post carries for its submission (the form's hidden `submissionId`), or null when it
 * carries none, or not one id. Such a post cannot be told from the same post sent again, so it is
 * never stored under an id made for it: it goes back to be sent from a form with one (decision 0119).
 */
export function postedSubmissionId(body: Record<string, unknown>): string | null {
  return typeof body.submissionId === 'string' && isId(body.submissionId) ? body.submissionId : null;
}

/** What the person typed, to put back in the fields: strings only, anything else as empty. */
export function typedValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  for (const field of fields) {
    const value = record[field];
    values[field] = typeof value === 'string' ? value : '';
  }
  return values;
}

/**
 * The page's error summary and inline messages, worded for the reader. Each summary link points at
 * the field's id (for radios, the first option, which has the field's name as its id).
 */
export function describeErrors(errors: FieldErrors, messages: Messages, order: readonly string[]) {
  const fieldErrors: Record<string, string> = {};
  const errorList: { text: string; href: string }[] = [];
  for (const field of order) {
    const key = errors[field];
    if (!key) continue;
    fieldErrors[field] = messages.errors[key];
    errorList.push({ text: messages.errors[key], href: `#${field}` });
  }
  return { fieldErrors, errorList };
}

/** A victim's secure message to the officer in case. */
export const caseMessageForm = z.object({
  message: requiredText('messageRequired', 'messageTooLong', 5_000).transform(storable),
});

/** The closure survey's one question: 1 very dissatisfied … 5 very satisfied. */
export const surveyForm = z.object({
  score: z.enum(['1', '2', '3', '4', '5'], { error: 'surveyRequired' satisfies ErrorKey }).transform(Number),
});

/** Ticked boxes of one name: none, one (a string) or several (a list). */
const ticked = z.union([z.string(), z.array(z.string())]).optional().transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

/** The victim's own contact preferences on the portal. */
export const preferencesForm = z
  .object({
    channels: ticked.pipe(z.array(z.enum(['email', 'sms', 'portal'], { error: 'channelsRequired' satisfies ErrorKey })).min(1, { error: 'channelsRequired' satisfies ErrorKey })),
    language: z.enum(['en', 'cy'], { error: 'languageRequired' satisfies ErrorKey }),
    // A box ticked twice is ticked once, as with the ways to contact; one the page never offers is
    // refused (worded as `invalid` beside the boxes).
    limits: ticked.transform((values) => [...new Set(values)]).pipe(z.array(z.enum(['portalOnly', 'neverSms', 'optOutNonStatutory'])).max(3)),
  })
  .refine((form) => !(form.limits.includes('neverSms') && form.channels.length === 1 && form.channels[0] === 'sms'), {
    path: ['channels'],
    error: 'smsOnlyNeverSms' satisfies ErrorKey,
  })
  .transform((form) => ({
    channels: [...new Set(form.channels)],
    language: form.language,
    portalOnly: form.limits.includes('portalOnly'),
    neverSms: form.limits.includes('neverSms'),
    optOutNonStatutory: form.limits.includes('optOutNonStatutory'),
  }));
