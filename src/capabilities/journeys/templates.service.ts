import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { formatReference } from '../../platform/references.ts';
import { findLastChange, requireOpenedVersion } from '../../platform/events/changed-since-opened.ts';
import { AppError, invalid, notFound, type FieldIssue } from '../../platform/errors.ts';
import { renderTemplate } from './journeys.service.ts';
import { templateChanged, templateTestSent } from './template.events.ts';
import { queueMessage } from '../outbox/outbox.service.ts';
import { PREVIEW_VALUES, TEMPLATE_LOCALES, TEMPLATE_PLACEHOLDERS, type TemplateLocale } from './templates.schema.ts';

// Force admins read, edit and preview the force's message templates.

export type TemplateText = { subject: string; body: string };
export type TemplateRow = TemplateText & { key: string; channel: string; locale: TemplateLocale; version: number };
export type TemplateInput = Omit<TemplateRow, 'version'>;

/** How a refusal names a template's language. */
const LANGUAGE_NAMES: Record<TemplateLocale, string> = { en: 'English', cy: 'Welsh' };

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
      .select(['key', 'channel', 'locale', 'subject', 'body', 'version'])
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
 * template nothing sends would never be used); its placeholders are checked. Made from a version
 * (0: not written yet) that is no longer the template's, it is refused and nothing is saved
 * (decision 0082). Recorded as an event naming the template; the text itself is in the table.
 */
export async function saveTemplate(
  deps: ServiceDeps,
  forceId: ForceId,
  input: TemplateInput & { actorStaffId: StaffId; version?: number | undefined },
): Promise<TemplateRow> {
  return withForce(deps.db, forceId, async (tx) => {
    const readTexts = () =>
      tx
        .selectFrom('message_templates')
        .select(['id', 'locale', 'subject', 'body', 'version'])
        .where('force_id', '=', forceId)
        .where('key', '=', input.key)
        .where('channel', '=', input.channel)
        .forUpdate()
        .execute();
    const existing = await readTexts();
    if (existing.length === 0 && !TEMPLATE_PLACEHOLDERS[input.key]) throw notFound('template');
    let same = existing.find((row) => row.locale === input.locale);
    if (!same) {
      // Another admin may write this language's first text at the same moment. Whoever inserts
      // first makes it; the other reads it (a new statement sees it committed) and is checked
      // against it like any save, instead of failing on the table's unique key.
      const inserted = await tx
        .insertInto('message_templates')
        .values({ id: newId(), force_id: forceId, key: input.key, channel: input.channel, locale: input.locale, subject: '', body: '', version: 0 })
        .onConflict((oc) => oc.columns(['force_id', 'key', 'channel', 'locale']).doNothing())
        .returning(['id', 'locale', 'subject', 'body', 'version'])
        .executeTakeFirst();
      same = inserted ?? (await readTexts()).find((row) => row.locale === input.locale);
    }
    if (!same) throw new Error('a template row was neither inserted nor found');
    // Version 0: the row this save has just made for a text not written before.
    const isNew = same.version === 0;
    // Before any other check: an admin whose text was replaced meanwhile hears that first (decision 0082).
    const current = same;
    await requireOpenedVersion({
      opened: input.version,
      current: current.version,
      what: `The ${LANGUAGE_NAMES[input.locale]} ${input.channel === 'sms' ? 'text message' : 'email'} “${TEMPLATE_PLACEHOLDERS[input.key]?.purpose ?? input.key}”`,
      since: 'after you opened it',
      nothingDone: 'Nothing was saved.',
      checkWhat: 'the text',
      actorStaffId: input.actorStaffId,
      readLastChange: async () => (isNew ? undefined : findLastChange(tx, forceId, { type: 'message_template', id: current.id, eventTypes: [templateChanged.type] })),
    });
    if (input.channel === 'email' && !input.subject.trim()) throw invalid('body.subject', 'enter a subject');
    const issues = checkTemplatePlaceholders(input.key, input);
    if (issues.length > 0) throw new AppError('validation_failed', 'template placeholders', { fields: issues });
    const id = current.id;
    const version = current.version + 1;
    if (!isNew) {
      // The text it replaces is kept, under its own version number.
      await tx
        .insertInto('message_template_versions')
        .values({
          force_id: forceId,
          key: input.key,
          channel: input.channel,
          locale: input.locale,
          version: current.version,
          subject: current.subject,
          body: current.body,
          replaced_at: deps.clock.now(),
          replaced_by: input.actorStaffId,
        })
        .onConflict((oc) => oc.columns(['force_id', 'key', 'channel', 'locale', 'version']).doNothing())
        .execute();
    }
    await tx.updateTable('message_templates').set({ subject: input.subject, body: input.body, version }).where('force_id', '=', forceId).where('id', '=', id).execute();
    record(
      tx,
      forceId,
      deps.clock,
      templateChanged.of({
        actor: { type: 'staff', id: input.actorStaffId },
        subjectId: id,
        data: { key: input.key, channel: input.channel, locale: input.locale, isNew, version },
      }),
    );
    return { key: input.key, channel: input.channel, locale: input.locale, subject: input.subject, body: input.body, version };
  });
}

/** The force a preview is for: its name, and its code and the year, which its references carry. */
export type PreviewForce = { name: string; code: string; year: number };

/** The made-up values of a preview, signed with the previewing force's own name and shaped as its own references. */
function previewValues(force: PreviewForce): Record<string, string> {
  return { ...PREVIEW_VALUES, forceName: force.name, reference: formatReference(force.code, 'contact', force.year, 123), caseReference: formatReference(force.code, 'case', force.year, 45) };
}

/** A template's text as a person of `force` would receive it, with made-up values; nothing is stored or sent. */
export function previewTemplate(key: string, text: TemplateText, force: PreviewForce): TemplateText {
  const issues = checkTemplatePlaceholders(key, text);
  if (issues.length > 0) throw new AppError('validation_failed', 'template placeholders', { fields: issues });
  const values = previewValues(force);
  return { subject: renderTemplate(text.subject, values), body: renderTemplate(text.body, values) };
}

/** The earlier versions of one template in one channel and language, newest first. */
export async function listTemplateVersions(
  deps: ServiceDeps,
  forceId: ForceId,
  which: { key: string; channel: string; locale: TemplateLocale },
): Promise<{ version: number; subject: string; body: string; replacedAt: string; replacedBy: string | null }[]> {
  const rows = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('message_template_versions')
      .select(['version', 'subject', 'body', 'replaced_at', 'replaced_by'])
      .where('force_id', '=', forceId)
      .where('key', '=', which.key)
      .where('channel', '=', which.channel)
      .where('locale', '=', which.locale)
      .orderBy('version', 'desc')
      .execute(),
  );
  return rows.map((row) => ({ version: row.version, subject: row.subject, body: row.body, replacedAt: row.replaced_at.toISOString(), replacedBy: row.replaced_by }));
}

/**
 * Sends the force's stored template, filled with made-up values, to the admin's own email address
 * through the outbox (a text message's words arrive by email too): nobody else receives it.
 */
export async function sendTestTemplate(
  deps: ServiceDeps,
  forceId: ForceId,
  admin: { staffId: StaffId; email: string; forceName: string; forceCode: string },
  which: { key: string; channel: string; locale: TemplateLocale },
): Promise<{ outboxId: string; subject: string; body: string }> {
  return withForce(deps.db, forceId, async (tx) => {
    const template = await tx
      .selectFrom('message_templates')
      .select(['id', 'subject', 'body'])
      .where('force_id', '=', forceId)
      .where('key', '=', which.key)
      .where('channel', '=', which.channel)
      .where('locale', '=', which.locale)
      .executeTakeFirst();
    if (!template) throw notFound('template');
    const label = which.channel === 'sms' ? 'Test text message' : 'Test';
    const values = previewValues({ name: admin.forceName, code: admin.forceCode, year: deps.clock.now().getUTCFullYear() });
    const subject = `[${label}] ${renderTemplate(template.subject, values) || which.key}`;
    const body = renderTemplate(template.body, values);
    const outboxId = await queueMessage(tx, forceId, deps.clock, {
      channels: [{ channel: 'email', recipient: admin.email, subject, body }],
      purpose: 'template.test_send',
      idempotencyKey: `template-test:${newId()}`,
    });
    if (!outboxId) throw new Error('a fresh idempotency key was already queued');
    record(
      tx,
      forceId,
      deps.clock,
      templateTestSent.of({ actor: { type: 'staff', id: admin.staffId }, subjectId: template.id, data: { key: which.key, channel: which.channel, locale: which.locale, outboxId } }),
    );
    return { outboxId, subject, body };
  });
}
