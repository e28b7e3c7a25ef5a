import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { queueMessage } from '../outbox/outbox.service.ts';
import { DEFAULT_TEMPLATES, UNNAMED, templateLocaleOf, type TemplateLocale } from './default-templates.schema.ts';

export { seedDefaultJourneyRules } from './journey-defaults.repository.ts';

/** Fills `{{name}}` placeholders from values; unknown names become empty. Output is plain text. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g, (_, key: string) => values[key] ?? '');
}

/** Each default template as `key/channel/locale`: a force lacking one is completed at start. */
export const DEFAULT_TEMPLATE_NAMES: readonly string[] = DEFAULT_TEMPLATES.map((t) => `${t.key}/${t.channel}/${t.locale}`);

/** Gives a new force the default templates. */
export async function seedDefaultTemplates(tx: Tx, forceId: ForceId): Promise<void> {
  await tx
    .insertInto('message_templates')
    .values(DEFAULT_TEMPLATES.map((t) => ({ id: newId(), force_id: forceId, ...t })))
    .onConflict((oc) => oc.columns(['force_id', 'key', 'channel', 'locale']).doNothing())
    .execute();
}

/**
 * The force's template for a key, channel and language, rendered; the English one when the force
 * has none in that language (a template it added itself, say).
 */
export async function renderForceTemplate(
  tx: Tx,
  forceId: ForceId,
  key: string,
  values: Record<string, string>,
  options: { channel?: 'email' | 'sms'; language?: string | null } = {},
): Promise<{ subject: string; body: string; locale: TemplateLocale }> {
  const channel = options.channel ?? 'email';
  const locale = templateLocaleOf(options.language);
  const rows = await findTemplateRows(tx, forceId, key, channel, [...new Set([locale, 'en'])]);
  const rendered = renderInLanguage(rows, options.language, values);
  if (!rendered) throw new Error(`no ${channel} template ${key}`);
  return rendered;
}

/** One of the force's templates on a channel, in the languages asked for (every one it has by default). */
export async function findTemplateRows(tx: Tx, forceId: ForceId, key: string, channel: 'email' | 'sms', locales?: readonly string[]) {
  let query = tx.selectFrom('message_templates').select(['subject', 'body', 'locale']).where('force_id', '=', forceId).where('key', '=', key).where('channel', '=', channel);
  if (locales) query = query.where('locale', 'in', [...locales]);
  return query.execute();
}

/**
 * Renders, from one template's rows in its languages, the one in the person's language (English
 * when there is none in theirs); undefined when there is neither.
 */
export function renderInLanguage(
  rows: readonly { subject: string; body: string; locale: string }[],
  language: string | null | undefined,
  values: Record<string, string>,
): { subject: string; body: string; locale: TemplateLocale } | undefined {
  const locale = templateLocaleOf(language);
  const template = rows.find((row) => row.locale === locale) ?? rows.find((row) => row.locale === 'en');
  if (!template) return undefined;
  const used = template.locale === 'cy' ? 'cy' : 'en';
  // A person we know no name for is greeted in the template's own language.
  const filled = { ...values, name: values.name ? values.name : UNNAMED[used] };
  return { subject: renderTemplate(template.subject, filled), body: renderTemplate(template.body, filled), locale: used };
}

/** Renders one of the force's email templates and puts the result in the outbox, in the caller's transaction. */
export async function queueTemplatedEmail(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  mail: {
    templateKey: string;
    values: Record<string, string>;
    recipient: string;
    purpose: string;
    idempotencyKey: string;
    contactId?: string | null;
    caseId?: string | null;
    /** The person's language: it chooses the template's (English when not known). */
    language?: string | null;
  },
): Promise<string | null> {
  return (await queueTemplatedEmailIn(tx, forceId, clock, mail)).outboxId;
}

/** `queueTemplatedEmail`, also saying which language's template was used (one template lookup). */
export async function queueTemplatedEmailIn(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  mail: Parameters<typeof queueTemplatedEmail>[3],
): Promise<{ outboxId: string | null; locale: TemplateLocale }> {
  return queueTemplated(tx, forceId, clock, { ...mail, channel: 'email' });
}

/**
 * Renders one of the force's templates for a channel (email, or the template's SMS text) and puts
 * the result in the outbox, in the caller's transaction; says which language's template was used.
 */
export async function queueTemplated(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  message: Parameters<typeof queueTemplatedEmail>[3] & { channel: 'email' | 'sms' },
): Promise<{ outboxId: string | null; locale: TemplateLocale }> {
  const rendered = await renderForceTemplate(tx, forceId, message.templateKey, message.values, { channel: message.channel, language: message.language ?? null });
  const outboxId = await queueMessage(tx, forceId, clock, {
    channels: [{ channel: message.channel, recipient: message.recipient, subject: rendered.subject, body: rendered.body }],
    purpose: message.purpose,
    idempotencyKey: message.idempotencyKey,
    contactId: message.contactId ?? null,
    caseId: message.caseId ?? null,
  });
  return { outboxId, locale: rendered.locale };
}
