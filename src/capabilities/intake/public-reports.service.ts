import { sql } from 'kysely';
import { withForce, type Db, type Tx } from '../../platform/db/database.ts';
import { GroupCommit } from '../../platform/db/group-commit.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { occurredAt, type NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { nextReferences } from '../../platform/references.ts';
import { addPhoneIdentities, findOrCreatePeople, normaliseIdentity } from '../people/people.service.ts';
import { loadActiveEngine } from '../triage/triage.service.ts';
import type { TriageContext, TriageResult } from '../triage/triage.schema.ts';
import { completeNewContactRoutes, planNewContactRoutes } from '../queue/routing.service.ts';
import { summarise, type IntakeResult, type PublicReport } from './intake.schema.ts';
import { contactTriaged, moveEvent } from '../contacts/contact.events.ts';
import { contactRow, moveContact } from '../contacts/contact.machine.ts';
import { personCreated, personIdentityAdded } from '../people/people.events.ts';
import { insertContacts, listContactHistories } from '../contacts/contacts.repository.ts';
import { insertMessages, listContactsOfProviderMessages } from '../contacts/messages.repository.ts';

const CHANNEL = 'portal';
/** How many days back a person's earlier contacts count as repeat contact. */
export const REPEAT_CONTACT_DAYS = 30;
/** The most reports one transaction takes: enough to share the commit, small enough to keep each short. */
export const MAX_REPORTS_PER_GROUP = 64;

/** The thread of a portal report's contact: its submission's own, as a report always opens a contact of its own. */
function reportThreadKey(submissionId: string): string {
  return `${CHANNEL}:${submissionId}`;
}

/**
 * Whether a message is a portal report's own words on the contact the report opened: the portal
 * message keyed by the submission that contact's thread was made for. Whoever the report named as
 * its person wrote it (decision 0195).
 */
export function isReportOwnMessage(contact: { channel: string; thread_key: string | null }, message: { channel: string; provider_message_id: string | null }): boolean {
  return contact.channel === CHANNEL && message.channel === CHANNEL && message.provider_message_id !== null && contact.thread_key === reportThreadKey(message.provider_message_id);
}

/** The "person" of an anonymous report: none, and so never new and never a repeat. */
const ANONYMOUS = { personId: null, isNew: false } as const;

/** The handle a report gives to reach its reporter: the email address, else the phone number, else none. */
function reporterHandle(report: PublicReport): { kind: 'email' | 'phone'; value: string } | null {
  if (report.email) return { kind: 'email', value: report.email };
  if (report.phone) return { kind: 'phone', value: report.phone };
  return null;
}

/** The `contact.triaged` event of a triage result. */
export function triagedEvent(contactId: string, triage: TriageResult): NewEvent {
  return contactTriaged.of({
    actor: { type: 'system', id: null },
    subjectId: contactId,
    data: {
      score: triage.score,
      priority: triage.priority,
      ruleSetVersion: triage.ruleSetVersion,
      ruleIds: [...new Set(triage.matches.map((m) => m.ruleId))],
    },
  });
}

type PersonHistory = { recent: number; highest: number };

/**
 * A report to store, and, when it was received earlier (decision 0022), what it was given then:
 * its contact id, its reference and the time it was received, from which its events and clocks count.
 */
export type ReportToStore = PublicReport & { contactId?: ContactId; reference?: string; receivedAt?: Date };

/** Each person's contacts of the last `REPEAT_CONTACT_DAYS` days (how many, and the highest priority), in one query. */
async function historiesOf(tx: Tx, forceId: ForceId, clock: Clock, personIds: readonly string[]): Promise<Map<string, PersonHistory>> {
  const histories = new Map<string, PersonHistory>();
  if (personIds.length === 0) return histories;
  const since = new Date(clock.now().getTime() - REPEAT_CONTACT_DAYS * 24 * 3600 * 1000);
  const rows = await listContactHistories(tx, forceId, personIds, since);
  for (const row of rows) if (row.person_id) histories.set(row.person_id, { recent: Number(row.recent), highest: Number(row.highest ?? 4) });
  return histories;
}

/**
 * Stores reports from the public portal in the caller's transaction, with a fixed number of
 * statements however many there are: for each, the person (found by email, or new), the contact
 * and its first message, its triage and routing, and their events, exactly as if the reports had
 * been stored one after another in the order given (a person's second report in the group counts
 * the first as a repeat contact; their events follow in that order). A submission id already
 * stored, or given earlier in the group, is a duplicate: it returns the first report's reference
 * and stores nothing.
 */
export async function recordPublicReports(tx: Tx, forceId: ForceId, clock: Clock, reports: readonly ReportToStore[]): Promise<IntakeResult[]> {
  if (reports.length === 0) return [];
  const actor: Actor = { type: 'public', id: null };
  const now = clock.now();

  // Serialise retries of one submission across transactions and nodes, so concurrent duplicates
  // store it once. Same keys as every other inbound message; taken in one (sorted) order.
  const submissionIds = [...new Set(reports.map((report) => report.submissionId))].sort();
  const lockKeys = submissionIds.map((id) => `${forceId}:${CHANNEL}:${id}`);
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${lockKeys}::text[]) with ordinality as l(k, n) order by n`.execute(tx);
  const stored = await listContactsOfProviderMessages(tx, forceId, CHANNEL, submissionIds);
  const known = new Map<string, IntakeResult>();
  for (const row of stored) {
    if (row.provider_message_id) known.set(row.provider_message_id, { contactId: row.id as ContactId, reference: row.reference, isDuplicate: true });
  }

  // The reports that store something: neither stored before nor repeated within this group. A
  // portal report always opens a contact of its own (its thread is its submission), so there is
  // no earlier thread to look for.
  const fresh: { index: number; report: ReportToStore }[] = [];
  const firstInGroup = new Set<string>();
  reports.forEach((report, index) => {
    if (known.has(report.submissionId) || firstInGroup.has(report.submissionId)) return;
    firstInGroup.add(report.submissionId);
    fresh.push({ index, report });
  });

  // The person is found by the handle they gave (email first, else phone); an anonymous report
  // (no handle, where the force allows it) has no person.
  const handles = fresh.map(({ report }) => reporterHandle(report));
  const found = await findOrCreatePeople(
    tx,
    forceId,
    clock,
    handles.flatMap((handle, i) => (handle ? [{ ...handle, name: fresh[i]?.report.name ?? null }] : [])),
  );
  let nextFound = 0;
  const people = handles.map((handle) => (handle ? found[nextFound++] : ANONYMOUS));
  // A phone number given beside an email address is the person's too: staff see it and call it.
  const gainedPhone = new Set(
    await addPhoneIdentities(
      tx,
      forceId,
      clock,
      fresh.flatMap(({ report }, i) => {
        const personId = people[i]?.personId;
        return report.email && report.phone && personId ? [{ personId, phone: report.phone }] : [];
      }),
    ),
  );
  const engine = await loadActiveEngine(tx, forceId);
  const knownPeople = people.flatMap((p) => (p && !p.isNew && p.personId ? [p.personId] : []));
  const histories = await historiesOf(tx, forceId, clock, [...new Set(knownPeople)]);
  // Reports received earlier took their references then; the others take theirs now, in order.
  const allocated = await nextReferences(tx, forceId, clock, 'contact', fresh.filter(({ report }) => !report.reference).length);
  const references = fresh.map(({ report }) => report.reference ?? allocated.shift());

  const events: NewEvent[][] = [];
  const contacts = fresh.map(({ report }, i) => {
    const person = people[i];
    const handle = handles[i] ?? null;
    const reference = references[i];
    if (!person || !reference) throw new Error('a report lost its person or reference');
    const own: NewEvent[] = [];
    if (person.isNew && person.personId && handle) own.push(personCreated.of({ actor, subjectId: person.personId, data: { identityKind: handle.kind } }));
    if (person.personId && gainedPhone.delete(person.personId)) own.push(personIdentityAdded.of({ actor, subjectId: person.personId, data: { identityKind: 'phone' } }));
    // What triage knows of the person is what it would have known had the reports before this one
    // been stored first: a new person has no history; a known one has the database's plus the group's.
    const at = report.receivedAt ?? now;
    const context: TriageContext = { at, channel: CHANNEL };
    const history = (person.personId && histories.get(person.personId)) || { recent: 0, highest: 4 };
    if (!person.isNew) Object.assign(context, { repeatContactsInLastDays: history.recent, previousHighRisk: history.highest === 1 });
    const messageId = newId();
    const contactId = report.contactId ?? newId<ContactId>();
    const triage = engine.score(report.whatHappened, context);
    if (person.personId) histories.set(person.personId, { recent: history.recent + 1, highest: Math.min(history.highest, triage.priority) });
    const received = moveContact({ status: 'new' }, { type: 'receive' });
    own.push(
      moveEvent(received, {
        actor,
        contactId,
        data: { reference, channel: CHANNEL, personId: person.personId, messageId },
      }),
    );
    own.push(triagedEvent(contactId, triage));
    events.push(own);
    const meta = report.language ? { language: report.language } : {};
    return { report, personId: person.personId, handle, reference, contactId, messageId, triage, meta, received, at };
  });

  if (contacts.length > 0) {
    // Each contact's queue is decided before its row is written, so the row is inserted queued
    // rather than inserted and then updated (every index of `contacts` written once, not twice).
    const routes = await planNewContactRoutes(
      tx,
      forceId,
      clock,
      contacts.map((c) => ({
        contactId: c.contactId,
        reference: c.reference,
        channel: CHANNEL,
        categories: c.triage.categories,
        priority: c.triage.priority,
        language: c.report.language ?? null,
        ...(c.report.receivedAt ? { receivedAt: c.report.receivedAt } : {}),
      })),
    );
    await insertContacts(
      tx,
      contacts.map((c, i) => ({
          id: c.contactId,
          force_id: forceId,
          reference: c.reference,
          channel: CHANNEL,
          ...contactRow(c.received.to),
          person_id: c.personId,
          summary: summarise(c.report.whatHappened),
          location: c.report.where,
          occurred_text: c.report.when,
          priority: c.triage.priority,
          score: c.triage.score,
          triage: JSON.stringify({ ...c.triage, matches: c.triage.matches.map((m) => ({ ...m, messageId: c.messageId })) }),
          rule_set_version: c.triage.ruleSetVersion,
          received_at: c.at,
          thread_key: reportThreadKey(c.report.submissionId),
          channel_account_id: null,
          ...routes[i]?.placement,
          // The handle replies go back to.
          meta: JSON.stringify({
            ...c.meta,
            ...(c.handle ? { sender: { kind: c.handle.kind, value: normaliseIdentity(c.handle.kind, c.handle.value) } } : {}),
            // A number given beside an email address, for the operator to call.
            ...(c.report.email && c.report.phone ? { phone: normaliseIdentity('phone', c.report.phone) } : {}),
          }),
      })),
    );
    const routed = await completeNewContactRoutes(tx, forceId, clock, routes);
    routed.forEach((own, i) => events[i]?.push(...own));
    await insertMessages(
      tx,
      contacts.map((c) => ({
          id: c.messageId,
          force_id: forceId,
          contact_id: c.contactId,
          direction: 'inbound' as const,
          channel: CHANNEL,
          body: c.report.whatHappened,
          provider_message_id: c.report.submissionId,
          author_staff_id: null,
          created_at: c.at,
          delivery_status: null,
          inbound_request_id: null,
          meta: JSON.stringify(c.meta),
          sender_person_id: c.personId,
      })),
    );
    // In report order; the recorder appends them last (decision 0002), with one statement for the
    // group's jobs and one for its live messages and wake-ups.
    // A report received earlier happened then: its events carry that time (decision 0022).
    const timed = events.map((own, i) => {
      const receivedAt = contacts[i]?.report.receivedAt;
      return receivedAt ? own.map((event) => occurredAt(event, receivedAt)) : own;
    });
    record(tx, forceId, clock, ...timed.flat());
  }

  const results: IntakeResult[] = [];
  const bySubmission = new Map<string, IntakeResult>();
  contacts.forEach((c) => bySubmission.set(c.report.submissionId, { contactId: c.contactId, reference: c.reference, isDuplicate: false }));
  const freshIndexes = new Set(fresh.map((f) => f.index));
  reports.forEach((report, index) => {
    const first = known.get(report.submissionId);
    if (first) return results.push(first);
    const created = bySubmission.get(report.submissionId);
    if (!created) throw new Error('a report was neither stored nor found');
    // A repeat of a submission stored earlier in this same group is a duplicate of it.
    return results.push(freshIndexes.has(index) ? created : { ...created, isDuplicate: true });
  });
  return results;
}

// One group-commit queue per database (tests build several apps, each with its own).
const groupCommits = new WeakMap<Db, GroupCommit<{ report: PublicReport; clock: Clock }, IntakeResult>>();

/**
 * Stores a portal report together with any others of the same force arriving meanwhile, in one
 * transaction (group commit); resolves only once that transaction has committed. A group that
 * fails is retried report by report, so one bad report fails alone and never takes others with it.
 */
export function submitToReportGroup(deps: { db: Db; clock: Clock }, forceId: ForceId, report: PublicReport): Promise<IntakeResult> {
  let group = groupCommits.get(deps.db);
  if (!group) {
    group = new GroupCommit({
      maxGroupSize: MAX_REPORTS_PER_GROUP,
      writeGroup: (key, items) => {
        // The key is the force id the reports were submitted for; one app has one clock, so the
        // first report's stands for the group.
        const force = key as ForceId;
        const clock = items[0]?.clock ?? deps.clock;
        return withForce(deps.db, force, (tx) =>
          recordPublicReports(
            tx,
            force,
            clock,
            items.map((item) => item.report),
          ),
        );
      },
    });
    groupCommits.set(deps.db, group);
  }
  return group.submit(forceId, { report, clock: deps.clock });
}
