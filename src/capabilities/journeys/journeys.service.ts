import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { findPersonEmail } from '../people/people.service.ts';
import { queueEmail } from '../outbox/outbox.service.ts';
import { journeyMessageQueued, journeySkipped } from './journey.events.ts';

/** Fills `{{name}}` placeholders from values; unknown names become empty. Output is plain text. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g, (_, key: string) => values[key] ?? '');
}

/** Renders the step's template into the outbox. Safe to repeat: the outbox key is the case and step. */
export function createJourneyHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const caseId = String(job.payload.caseId);
    const step = String(job.payload.step);
    await inForce(async (tx) => {
      const found = await tx
        .selectFrom('cases as c')
        .innerJoin('contacts as ct', 'ct.id', 'c.contact_id')
        .innerJoin('forces as f', 'f.id', 'c.force_id')
        .leftJoin('people as p', 'p.id', 'c.person_id')
        .select(['c.id', 'c.reference as case_reference', 'c.person_id', 'ct.id as contact_id', 'ct.reference', 'f.name as force_name', 'p.display_name'])
        .where('c.force_id', '=', job.forceId)
        .where('c.id', '=', caseId)
        .executeTakeFirst();
      if (!found) throw new Error(`case ${caseId} not found`);
      const email = found.person_id ? await findPersonEmail(tx, job.forceId, found.person_id) : null;
      if (!email) {
        record(
          tx,
          job.forceId,
          deps.clock,
          journeySkipped.of({ actor: { type: 'system', id: null }, subjectId: caseId, data: { step, reason: 'no email address for this person' } }),
        );
        return;
      }
      const outboxId = await queueTemplatedEmail(tx, job.forceId, deps.clock, {
        templateKey: step,
        values: {
          name: found.display_name ?? 'there',
          reference: found.reference,
          caseReference: found.case_reference,
          forceName: found.force_name,
        },
        recipient: email,
        purpose: `journey:${step}`,
        idempotencyKey: `journey:${caseId}:${step}`,
        contactId: found.contact_id,
        caseId,
      });
      if (outboxId) {
        // Its delivery follows from this event.
        record(tx, job.forceId, deps.clock, journeyMessageQueued.of({ actor: { type: 'system', id: null }, subjectId: caseId, data: { step, outboxId } }));
      }
    });
  };
}

/** The templates a new force starts with. */
export const DEFAULT_TEMPLATES = [
  {
    key: 'case.report_received',
    channel: 'email',
    subject: 'Your report {{reference}} has been received',
    body:
      'Hello {{name}},\n\nThank you for your report ({{reference}}). {{forceName}} has recorded it as case ' +
      '{{caseReference}} and an officer will look at it.\n\nYou can check your report online at any time with ' +
      'your reference number. We will keep you updated as it progresses.\n\n{{forceName}}\n\n' +
      'If you are in danger now, call 999.',
  },
  {
    key: 'contact.reply',
    channel: 'email',
    subject: 'About your report {{reference}}',
    body: 'Hello {{name}},\n\n{{body}}\n\n{{forceName}}\nPlease quote {{reference}} if you contact us.',
  },
  {
    key: 'portal.access_code',
    channel: 'email',
    subject: 'Your code to check report {{reference}}',
    body:
      'Your code to check report {{reference}} is {{code}}.\n\nIt expires in 15 minutes. If you did not ask ' +
      'for it, you can ignore this email.\n\n{{forceName}}',
  },
];

/** Gives a new force the default templates. */
export async function seedDefaultTemplates(tx: Tx, forceId: ForceId): Promise<void> {
  await tx
    .insertInto('message_templates')
    .values(DEFAULT_TEMPLATES.map((t) => ({ id: newId(), force_id: forceId, ...t })))
    .onConflict((oc) => oc.columns(['force_id', 'key', 'channel', 'locale']).doNothing())
    .execute();
}

/** The force's template for a key, rendered. */
export async function renderForceTemplate(
  tx: Tx,
  forceId: ForceId,
  key: string,
  values: Record<string, string>,
): Promise<{ subject: string; body: string }> {
  const template = await tx
    .selectFrom('message_templates')
    .select(['subject', 'body'])
    .where('force_id', '=', forceId)
    .where('key', '=', key)
    .where('channel', '=', 'email')
    .where('locale', '=', 'en')
    .executeTakeFirst();
  if (!template) throw new Error(`no email template ${key}`);
  return { subject: renderTemplate(template.subject, values), body: renderTemplate(template.body, values) };
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
  },
): Promise<string | null> {
  const rendered = await renderForceTemplate(tx, forceId, mail.templateKey, mail.values);
  return queueEmail(tx, forceId, clock, {
    recipient: mail.recipient,
    subject: rendered.subject,
    body: rendered.body,
    purpose: mail.purpose,
    idempotencyKey: mail.idempotencyKey,
    contactId: mail.contactId ?? null,
    caseId: mail.caseId ?? null,
  });
}
