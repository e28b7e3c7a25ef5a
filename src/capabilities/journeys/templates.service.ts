import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError, notFound, type FieldIssue } from '../../platform/errors.ts';
import { renderTemplate } from './journeys.service.ts';
import { templateChanged } from './template.events.ts';
import { PREVIEW_VALUES, TEMPLATE_LOCALES, TEMPLATE_PLACEHOLDERS, type TemplateLocale } from './templates.schema.ts';

// Force admins read, edit and preview the force's message templates.

export type TemplateText = { subject: string; body: string };
export type TemplateRow = TemplateText & { key: string; channel: string; locale: TemplateLocale };

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

function isLocale(value: string): value is TemplateLocale {
  return (TEMPLATE_LOCALES as readonly string[]).includes(value);
}

/** The placeholders a text uses, in order, once each. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/**
 * What is wrong with a template's text for its key, field by field: a placeholder the message does
 * not fill (a typo would send a gap), or one it cannot do without.
 */
export function checkTemplatePlaceholders(key: string, text: TemplateText): FieldIssue[] {
  const known = TEMPLATE_PLACEHOLDERS[key];
  if (!known) return [];
  const issues: FieldIssue[] = [];
  const fills = known.fills.map((p) => `{{${p}}}`).join(', ');
  for (const field of ['subject', 'body'] as const) {
    const unknown = placeholdersIn(text[field]).filter((p) => !known.fills.includes(p));
    if (unknown.length > 0) {
      issues.push({ path: `body.${field}`, message: `uses ${unknown.map((p) => `{{${p}}}`).join(', ')}, which this message does not fill (it fills ${fills})` });
    }
  }
  const used = new Set([...placeholdersIn(text.subject), ...placeholdersIn(text.body)]);
  const missing = known.requires.filter((p) => !used.has(p));
  if (missing.length > 0) issues.push({ path: 'body.body', message: `must include ${missing.map((p) => `{{${p}}}`).join(', ')}` });
  return issues;
}

/** The force's templates (every key, channel and language it has) and the keys it can edit. */
export async function listTemplates(deps: ServiceDeps, forceId: ForceId): Promise<TemplateRow[]> {
  const rows = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('message_templates')
      .select(['key', 'channel', 'locale', 'subject', 'body'])
      .where('force_id', '=', forceId)
      .orderBy('key')
      .orderBy('channel')
      .orderBy('locale')
      .execute(),
  );
  return rows.flatMap((row) => (isLocale(row.locale) ? [{ ...row, locale: row.locale }] : []));
}

/**
 * A force admin saves one template in one language. A key must be one the product sends (a
 * template nothing sends would never be used); its placeholders are checked. Recorded as an event
 * naming the template; the text itself is in the table.
 */
export async function saveTemplate(
  deps: ServiceDeps,
  forceId: ForceId,
  input: TemplateRow & { actorStaffId: StaffId },
): Promise<TemplateRow> {
  const issues = checkTemplatePlaceholders(input.key, input);
  if (issues.length > 0) throw new AppError('validation_failed', 'template placeholders', { fields: issues });
  return withForce(deps.db, forceId, async (tx) => {
    const existing = await tx
      .selectFrom('message_templates')
      .select(['id', 'locale'])
      .where('force_id', '=', forceId)
      .where('key', '=', input.key)
      .where('channel', '=', input.channel)
      .forUpdate()
      .execute();
    if (existing.length === 0 && !TEMPLATE_PLACEHOLDERS[input.key]) throw notFound('template');
    const same = existing.find((row) => row.locale === input.locale);
    const id = same?.id ?? newId();
    if (same) {
      await tx.updateTable('message_templates').set({ subject: input.subject, body: input.body }).where('force_id', '=', forceId).where('id', '=', id).execute();
    } else {
      await tx
        .insertInto('message_templates')
        .values({ id, force_id: forceId, key: input.key, channel: input.channel, locale: input.locale, subject: input.subject, body: input.body })
        .execute();
    }
    record(
      tx,
      forceId,
      deps.clock,
      templateChanged.of({
        actor: { type: 'staff', id: input.actorStaffId },
        subjectId: id,
        data: { key: input.key, channel: input.channel, locale: input.locale, isNew: !same },
      }),
    );
    return { key: input.key, channel: input.channel, locale: input.locale, subject: input.subject, body: input.body };
  });
}

/** A template's text as a person would receive it, with made-up values; nothing is stored or sent. */
export function previewTemplate(key: string, text: TemplateText): TemplateText {
  const issues = checkTemplatePlaceholders(key, text);
  if (issues.length > 0) throw new AppError('validation_failed', 'template placeholders', { fields: issues });
  return { subject: renderTemplate(text.subject, PREVIEW_VALUES), body: renderTemplate(text.body, PREVIEW_VALUES) };
}
