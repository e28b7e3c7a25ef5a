import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import { listEventsForSubjects } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { queueTemplated } from '../journeys/journeys.service.ts';
import { findCodeAddress, findReportVictimAddresses } from './code-address.service.ts';
import { readCatalogueEvent } from '../audit/catalogue.events.ts';
import { portalAccessGranted, portalCodeSent } from './report-status.events.ts';
import { openReportSignIn } from './report-sign-in.service.ts';
import { findContactByReference, findReportedContact, listOutboundBodies } from '../contacts/contact-records.service.ts';
import { listOwnPersonWords } from '../contacts/own-person-words.service.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

/**
 * "Check on my report": a member of the public proves they own a report by a one-time code sent to
 * the email address they gave (or by text to their phone number, `findCodeAddress`), then sees a
 * public timeline of it.
 *
 * Codes are 6 digits, so a plain hash would fall to anyone holding the table (a million guesses).
 * They are stored as HMAC-SHA256 under `codeSecret`, a key that lives in configuration and never in
 * the database, over the force, the contact and the code: a stolen row cannot be brute-forced and
 * cannot be replayed against another contact.
 */
export type ReportStatusDeps = ServiceDeps & { codeSecret: string };

export const CODE_TTL_MS = 15 * 60 * 1000;
/** Codes created for one contact per rolling hour; more requests are ignored without saying so. */
export const MAX_CODES_PER_HOUR = 5;
/** Wrong guesses one code survives; after that it is dead and a new one must be asked for. */
export const MAX_CODE_ATTEMPTS = 5;
/** How long a sign-in to a report lasts when its caller does not say (the portal's half hour). */
export const REPORT_SIGN_IN_MS = 30 * 60 * 1000;

const CODE_PATTERN = /^\d{6}$/;
/** Compared against when there is no code row, so an unknown reference costs the same HMAC. */
const DUMMY_HASH = '0'.repeat(64);
/** A contact id that never exists (ids are random v4 UUIDs). */
const NO_CONTACT = '00000000-0000-0000-0000-000000000000';

/** References are shown in upper case; people type them in any case and with stray spaces. */
export function normaliseReference(reference: string): string {
  return reference.trim().toUpperCase();
}

/** People copy codes with spaces ("123 456"); only the digits matter. */
export function normaliseCode(code: string): string {
  return code.replace(/\s+/g, '');
}

function hashCode(secret: string, forceId: ForceId, contactId: string, code: string): string {
  return createHmac('sha256', secret).update(`portal-code:v1:${forceId}:${contactId}:${code}`).digest('hex');
}

function hashesMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'hex');
  const b = Buffer.from(expected, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Sends a fresh code for the report with this reference. Says nothing either way: an unknown
 * reference, a report with nowhere to send it and a contact over its hourly allowance all return
 * quietly, so the caller cannot learn which references exist.
 */
export async function requestAccessCode(
  deps: ReportStatusDeps,
  forceId: ForceId,
  reference: string,
  /** The language of the page the person asked from; the report's own language when not given. */
  language?: string,
): Promise<void> {
  const wanted = normaliseReference(reference);
  if (wanted.length === 0 || wanted.length > 64) return;
  await withForce(deps.db, forceId, async (tx) => {
    const contact = await findContactByReference(tx, forceId, wanted);
    if (!contact || !contact.person_id) return;
    const address = await findCodeAddress(tx, forceId, contact.person_id, await findReportVictimAddresses(tx, forceId, contact.id, contact.person_id));
    if (!address) return;

    const issued = await issuePortalCode(tx, deps, forceId, { contactId: contact.id }, (code) => hashCode(deps.codeSecret, forceId, contact.id, code));
    if (!issued) return;
    const { codeId, code } = issued;
    const { outboxId } = await queueTemplated(tx, forceId, deps.clock, {
      channel: address.channel,
      templateKey: 'portal.access_code',
      values: { reference: contact.reference, code, forceName: contact.force_name },
      recipient: address.recipient,
      purpose: 'portal.access_code',
      idempotencyKey: `code:${codeId}`,
      contactId: contact.id,
      language: language ?? (typeof contact.meta.language === 'string' ? contact.meta.language : null),
    });
    // The code itself never reaches the event log; the row id is enough to trace it. The email's
    // delivery follows from this event.
    record(
      tx,
      forceId,
      deps.clock,
      portalCodeSent.of({ actor: { type: 'public', id: null }, subjectId: contact.id, data: { codeId, ...(outboxId ? { outboxId } : {}) } }),
    );
  });
}

/** Whose a portal code is: a report's, or one victim's on a case. */
export type PortalCodeOwner = { contactId: string } | { caseId: string; personId: string };

/**
 * Issues a fresh six-digit code for its owner, in the caller's transaction, and stores only its
 * HMAC (`hash`); null, logged, when the owner has had `MAX_CODES_PER_HOUR` in the last hour. Two
 * requests at once queue on a lock of the owner's, so both cannot slip under the cap.
 */
export async function issuePortalCode(
  tx: Tx,
  deps: Pick<ReportStatusDeps, 'clock' | 'logger'>,
  forceId: ForceId,
  owner: PortalCodeOwner,
  hash: (code: string) => string,
): Promise<{ codeId: string; code: string } | null> {
  const key = 'contactId' in owner ? `${forceId}:portal-code:${owner.contactId}` : `${forceId}:portal-case-code:${owner.caseId}:${owner.personId}`;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(tx);
  const now = deps.clock.now();
  let recent = tx
    .selectFrom('portal_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('force_id', '=', forceId)
    .where('created_at', '>', new Date(now.getTime() - 60 * 60 * 1000));
  recent = 'contactId' in owner ? recent.where('contact_id', '=', owner.contactId) : recent.where('case_id', '=', owner.caseId).where('person_id', '=', owner.personId);
  if (Number((await recent.executeTakeFirstOrThrow()).n) >= MAX_CODES_PER_HOUR) {
    deps.logger.info({ forceId, ...owner }, 'portal code refused: hourly allowance used');
    return null;
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const codeId = newId();
  await tx
    .insertInto('portal_codes')
    .values({
      id: codeId,
      force_id: forceId,
      contact_id: 'contactId' in owner ? owner.contactId : null,
      ...('caseId' in owner ? { case_id: owner.caseId, person_id: owner.personId } : {}),
      code_hash: hash(code),
      expires_at: new Date(now.getTime() + CODE_TTL_MS),
      used_at: null,
      created_at: now,
    })
    .execute();
  return { codeId, code };
}

/**
 * Checks a code against the newest live code of the report. A wrong guess counts against that
 * code; a code with too many wrong guesses, an expired or used code, an unknown reference and a
 * wrong code all give the same null. A right one opens a sign-in to the report (its id the code's),
 * held until `signInEnds`, the end its cookie carries, and ends the report's earlier sign-ins
 * (decision 0167).
 */
export async function verifyAccessCode(
  deps: ReportStatusDeps,
  forceId: ForceId,
  reference: string,
  code: string,
  signInEnds?: Date,
): Promise<{ contactId: ContactId; signInId: string } | null> {
  const wanted = normaliseReference(reference);
  const given = normaliseCode(code);
  if (wanted.length === 0 || wanted.length > 64 || !CODE_PATTERN.test(given)) return null;
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const contact = await findContactByReference(tx, forceId, wanted);
    // The code lookup runs for an unknown reference too (against an id no contact has), so the
    // two cases cost the same queries. The row is locked, so parallel guesses are counted one
    // after another and cannot exceed the allowance.
    const row = await tx
      .selectFrom('portal_codes')
      .select(['id', 'code_hash', 'attempts'])
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contact?.id ?? NO_CONTACT)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('seq', storedLast)
      .orderBy('id', 'desc')
      .limit(1)
      .forUpdate()
      .executeTakeFirst();
    // Always pay for one HMAC and one comparison, whether or not there is anything to compare.
    const matches = hashesMatch(hashCode(deps.codeSecret, forceId, contact?.id ?? NO_CONTACT, given), row?.code_hash ?? DUMMY_HASH);
    if (!contact || !row) return null;
    if (Number(row.attempts) >= MAX_CODE_ATTEMPTS) return null;
    if (!matches) {
      await tx
        .updateTable('portal_codes')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('force_id', '=', forceId)
        .where('id', '=', row.id)
        .execute();
      return null;
    }
    await tx.updateTable('portal_codes').set({ used_at: now }).where('force_id', '=', forceId).where('id', '=', row.id).execute();
    await openReportSignIn(tx, forceId, deps.clock, { contactId: contact.id, signInId: row.id }, signInEnds ?? new Date(now.getTime() + REPORT_SIGN_IN_MS));
    record(tx, forceId, deps.clock, portalAccessGranted.of({ actor: { type: 'public', id: null }, subjectId: contact.id, data: { codeId: row.id } }));
    return { contactId: contact.id as ContactId, signInId: row.id };
  });
}

export type PublicTimelineItem = {
  /** When it happened; for what the reporter sent, when they sent it where believed, else when it reached us. */
  at: Date;
  /** `sent`: a message of the reporter's own, the first of them (`isReport`) what began the report. */
  kind: 'received' | 'reply' | 'case_created' | 'closed' | 'sent';
  /** The operator's reply or the reporter's own words, as written: plain text that the page must escape. */
  text?: string;
  isReport?: boolean;
  caseReference?: string;
  /** The outcome code (e.g. `advice_given`); the page words it in the reader's language. */
  outcome?: string;
};

export type PublicTimeline = {
  reference: string;
  status: 'open' | 'closed';
  receivedAt: Date;
  items: PublicTimelineItem[];
};

/**
 * What the reporter may see of their report, oldest first. It is built from the event log, and
 * only from events meant for them: internal steps (triage, views, staff notes on closing) stay out.
 * Among them, in time order, what the reporter sent, as a conversation is read (decision 0186):
 * only the messages whose sender is the report's own person (decision 0195).
 * Null when the contact is not in this force.
 */
export async function getPublicTimeline(deps: ServiceDeps, forceId: ForceId, contactId: string): Promise<PublicTimeline | null> {
  return withForce(deps.db, forceId, async (tx) => {
    const contact = await findReportedContact(tx, forceId, contactId);
    if (!contact) return null;
    const caseRow = await tx
      .selectFrom('cases')
      .select('id')
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    const subjects = [{ type: 'contact', id: contactId }];
    if (caseRow) subjects.push({ type: 'case', id: caseRow.id });
    const events = (await listEventsForSubjects(tx, forceId, subjects)).flatMap((event) => readCatalogueEvent(event) ?? []);

    const messageIds = events.flatMap((event) => (event.type === 'contact.replied' ? [event.data.messageId] : []));
    const bodies = new Map<string, string>();
    if (messageIds.length > 0) {
      // Only outbound messages of this contact: an event cannot make another thread's text appear.
      const rows = await listOutboundBodies(tx, forceId, contactId, messageIds);
      for (const row of rows) bodies.set(row.id, row.body);
    }

    const items: PublicTimelineItem[] = [];
    for (const event of events) {
      switch (event.type) {
        case 'contact.received':
          items.push({ at: event.occurredAt, kind: 'received' });
          break;
        case 'contact.replied': {
          const text = bodies.get(event.data.messageId);
          if (text !== undefined) items.push({ at: event.occurredAt, kind: 'reply', text });
          break;
        }
        case 'case.created':
          items.push({ at: event.occurredAt, kind: 'case_created', caseReference: event.data.reference });
          break;
        case 'contact.closed':
          items.push({ at: event.occurredAt, kind: 'closed', outcome: event.data.outcome });
          break;
        default:
          break;
      }
    }
    // The report's own words are the first message stored; the reporter's later ones follow. Only
    // the reporter's: another sender on the thread (someone copied in who answered our mail) is
    // never shown as "you", nor are their words shown to the reporter; one stored before senders
    // were, only where what was stored with it proves it the reporter's (decision 0195).
    const { words, reportId } = await listOwnPersonWords(tx, forceId, contact);
    const sent = words.map((m): PublicTimelineItem => ({ at: m.sent_at ?? m.created_at, kind: 'sent', text: m.body, isReport: m.id === reportId }));
    return { reference: contact.reference, status: contact.status, receivedAt: contact.received_at, items: mergeByTime(sent, items) };
  });
}

/**
 * Two lists each in time order as one: what the reporter sent goes before what happened at the
 * same moment (a report is sent, then received); the log's own order is kept.
 */
function mergeByTime(sent: PublicTimelineItem[], logged: PublicTimelineItem[]): PublicTimelineItem[] {
  const merged: PublicTimelineItem[] = [];
  let i = 0;
  for (const item of logged) {
    for (let next = sent[i]; next !== undefined && next.at.getTime() <= item.at.getTime(); next = sent[++i]) merged.push(next);
    merged.push(item);
  }
  return [...merged, ...sent.slice(i)];
}
