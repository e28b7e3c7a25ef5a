import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { listConversationMessages } from '../contacts/contact-records.service.ts';
import { CASE_EVENTS, isAboutNoAppointment } from '../cases/case.events.ts';
import { isCaseVictim } from './case-access.service.ts';
import { articlesForMilestones, type HelpLocale, type PublicHelpArticle } from './help-articles.service.ts';
import { deriveAppointments, type VictimAppointment } from './appointments.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// What a victim sees of their case on the portal. Built from the case's row and its events, and
// only from what is meant for them: a milestone's `note` is the investigator's or the records
// system's own words and stays with staff (decision 0035); only the particulars the victim is told
// (when and where, the outcome and the reason given on closing) come through.

/** A milestone's particulars a victim may see. */
export type VictimDetails = { at?: string; isDateOnly?: string; place?: string; outcomeCode?: string; reason?: string; reasonCy?: string; appointmentId?: string };

/**
 * The hearing a reopening lists again, as an entry of its own beside the reopening: the victim reads
 * its when and where as the hearing's, not the reopening's (decision 0127). Not an event type.
 */
export const RESTORED_HEARING = 'case.court_date_restored';

/** One entry of the victim's timeline, oldest first. */
export type VictimUpdate =
  | { kind: 'milestone'; at: Date; type: string; details: VictimDetails; articles: PublicHelpArticle[] }
  /** A message the journeys put in the victim's portal inbox. */
  | { kind: 'inbox'; at: Date; subject: string; body: string }
  /** A member of staff's answer to one of the victim's secure messages. */
  | { kind: 'reply'; at: Date; body: string }
  /**
   * A secure message the victim sent: `at` when it reached us, `sentAt` when they sent it, where
   * believed (shown on the page, decision 0180, and the time it is ordered by, decision 0186).
   */
  | { kind: 'sent'; at: Date; sentAt: Date | null; body: string; contactReference: string };

export type VictimCase = {
  caseId: string;
  reference: string;
  status: 'recorded' | 'allocated' | 'under_investigation' | 'charged' | 'closed';
  createdAt: Date;
  crimeType: { label: string; labelCy: string } | null;
  outcome: { code: string; label: string; labelCy: string } | null;
  closedReason: string | null;
  /** The reason in Welsh, when the closing milestone gave one. */
  closedReasonCy: string | null;
  /** The officer in case's name, and their email only where the force allows it. */
  officer: { name: string; email: string | null } | null;
  /** The force's words for how to reach the officer, in English and Welsh ({reference} is filled in). */
  contactRoute: { en: string | null; cy: string | null };
  updates: VictimUpdate[];
  appointments: VictimAppointment[];
  /** At closure: whether this victim has answered the survey. Null while the case is open. */
  survey: { isAnswered: boolean } | null;
};

/** The victim-portal part of a force's settings (`settings.victimPortal`). */
type VictimPortalSettings = { contactRoute?: unknown; contactRouteCy?: unknown; showOfficerEmail?: unknown };

/** Milestone particulars the victim is told; everything else in `details` (officer ids, teams, crime codes) stays internal. */
const VISIBLE_DETAILS = ['at', 'isDateOnly', 'place', 'outcomeCode', 'reason', 'reasonCy', 'appointmentId'] as const;

function visibleDetails(data: unknown): VictimDetails {
  const details = data !== null && typeof data === 'object' ? (data as { details?: unknown }).details : undefined;
  const out: VictimDetails = {};
  if (details === null || typeof details !== 'object') return out;
  for (const key of VISIBLE_DETAILS) {
    const value = (details as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length > 0) out[key] = value;
  }
  return out;
}

/** Whether a case event is a reopening that lists again the hearing its closing ended (decision 0121). */
function isRestoringReopening(type: string, data: unknown): boolean {
  const details = data !== null && typeof data === 'object' ? (data as { details?: unknown }).details : undefined;
  return type === 'case.reopened' && details !== null && typeof details === 'object' && Boolean((details as Record<string, unknown>).restoresListing);
}

/**
 * A milestone as the victim's timeline shows it: a reopening that lists a hearing again is two
 * entries, the reopening without the hearing's when and where, then the hearing with them.
 */
function milestoneUpdates(event: { occurred_at: Date; type: string; data: unknown }, details: VictimDetails, articles: ReadonlyMap<string, PublicHelpArticle[]>): VictimUpdate[] {
  const reopening: VictimUpdate = { kind: 'milestone', at: event.occurred_at, type: event.type, details, articles: articles.get(event.type) ?? [] };
  if (!isRestoringReopening(event.type, event.data)) return [reopening];
  const { at, isDateOnly, place, ...rest } = details;
  const hearing: VictimDetails = { ...(at ? { at } : {}), ...(isDateOnly ? { isDateOnly } : {}), ...(place ? { place } : {}) };
  return [
    { ...reopening, details: rest },
    { kind: 'milestone', at: event.occurred_at, type: RESTORED_HEARING, details: hearing, articles: articles.get('case.court_date_set') ?? [] },
  ];
}

function textOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
}

/**
 * The case event types a victim is told about: every move of the case's machine, and nothing else
 * about the case (clocks, journeys' bookkeeping, staff views).
 */
const VICTIM_MILESTONES: ReadonlySet<string> = new Set(CASE_EVENTS.map((entry) => entry.type));

function isVictimMilestone(type: string): boolean {
  return VICTIM_MILESTONES.has(type);
}

/**
 * The victim's view of the case, or null when the case is not this force's or the person no
 * longer follows it (removed as a victim since signing in).
 */
export async function getVictimCase(deps: ServiceDeps, forceId: ForceId, caseId: string, personId: string, locale: HelpLocale): Promise<VictimCase | null> {
  return withForce(deps.db, forceId, async (tx) => {
    if (!(await isCaseVictim(tx, forceId, caseId, personId))) return null;
    const row = await tx
      .selectFrom('cases as c')
      .innerJoin('forces as f', 'f.id', 'c.force_id')
      .leftJoin('crime_types as ct', (join) => join.onRef('ct.force_id', '=', 'c.force_id').onRef('ct.code', '=', 'c.crime_type'))
      .leftJoin('case_outcome_types as ot', (join) => join.onRef('ot.force_id', '=', 'c.force_id').onRef('ot.code', '=', 'c.outcome_code'))
      .leftJoin('staff as s', 's.id', 'c.officer_in_case')
      .select([
        'c.id',
        'c.reference',
        'c.status',
        'c.created_at',
        'c.outcome_code',
        'c.closed_reason',
        'c.person_id',
        'f.settings',
        'ct.label as crime_label',
        'ct.label_cy as crime_label_cy',
        'ot.label as outcome_label',
        'ot.label_cy as outcome_label_cy',
        's.name as officer_name',
        's.email as officer_email',
      ])
      .where('c.force_id', '=', forceId)
      .where('c.id', '=', caseId)
      .executeTakeFirst();
    if (!row) return null;
    const settings = (row.settings.victimPortal ?? {}) as VictimPortalSettings;
    const events = await tx
      .selectFrom('events')
      .select(['id', 'occurred_at', 'type', 'data'])
      .where('force_id', '=', forceId)
      .where('subject_type', '=', 'case')
      .where('subject_id', '=', caseId)
      .orderBy('seq', 'desc')
      .limit(1000)
      .execute();
    // The newest thousand, oldest first: a long-running case shows its latest updates.
    events.reverse();
    const articles = await articlesForMilestones(tx, forceId, locale);
    const updates: VictimUpdate[] = [];
    const threads = new Map<string, string>();
    for (const event of events) {
      if (isVictimMilestone(event.type)) {
        const details = visibleDetails(event.data);
        // A change or cancellation with no appointment standing tells the victim of none (decisions 0122, 0126).
        if (isAboutNoAppointment(event.type, details)) continue;
        updates.push(...milestoneUpdates(event, details, articles));
      } else if (event.type === 'portal.case_message_sent' && event.data.personId === personId && typeof event.data.contactId === 'string') {
        threads.set(event.data.contactId, typeof event.data.contactReference === 'string' ? event.data.contactReference : '');
      }
    }
    updates.push(...(await inboxMessages(tx, forceId, caseId, personId, row.person_id, deps.clock.now())));
    updates.push(...(await threadMessages(tx, forceId, threads)));
    // In the order a conversation is read, as staff read the case's (decision 0186): a message the
    // victim sent by when they sent it where believed; a stable sort keeps equal times as read.
    updates.sort((a, b) => orderedAt(a) - orderedAt(b));

    const closing = updates.findLast((u): u is Extract<VictimUpdate, { kind: 'milestone' }> => u.kind === 'milestone' && u.type === 'case.closed');
    const survey = row.status === 'closed' ? { isAnswered: await hasAnsweredSurvey(tx, forceId, caseId, personId) } : null;
    return {
      caseId: row.id,
      reference: row.reference,
      status: row.status,
      createdAt: row.created_at,
      crimeType: row.crime_label ? { label: row.crime_label, labelCy: row.crime_label_cy ?? row.crime_label } : null,
      outcome: row.outcome_code ? { code: row.outcome_code, label: row.outcome_label ?? row.outcome_code, labelCy: row.outcome_label_cy ?? row.outcome_label ?? row.outcome_code } : null,
      closedReason: row.status === 'closed' ? row.closed_reason : null,
      closedReasonCy: row.status === 'closed' ? (closing?.details.reasonCy ?? null) : null,
      officer: row.officer_name ? { name: row.officer_name, email: settings.showOfficerEmail === true ? (row.officer_email ?? null) : null } : null,
      contactRoute: { en: textOf(settings.contactRoute), cy: textOf(settings.contactRouteCy) },
      updates,
      appointments: deriveAppointments(events.map((event) => ({ id: event.id, at: event.occurred_at, type: event.type, details: visibleDetails(event.data) }))),
      survey,
    };
  });
}

/**
 * The victim's portal inbox for the case: the journeys' messages on the `portal` channel that are
 * theirs (or the case's, when no person is named and they are the person the case was recorded
 * for), once due. Held, failed and suppressed messages are not shown.
 */
async function inboxMessages(tx: Tx, forceId: ForceId, caseId: string, personId: string, casePersonId: string | null, now: Date): Promise<VictimUpdate[]> {
  const rows = await tx
    .selectFrom('outbox')
    .select(['created_at', 'not_before', 'subject', 'body'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('channel', '=', 'portal')
    .where('status', 'in', ['pending', 'sent', 'delivered'])
    .where((eb) => (casePersonId === personId ? eb.or([eb('person_id', '=', personId), eb('person_id', 'is', null)]) : eb('person_id', '=', personId)))
    .where((eb) => eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)]))
    .orderBy('created_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((row) => ({ kind: 'inbox', at: row.not_before ?? row.created_at, subject: row.subject, body: row.body }));
}

/** When an update stands in the page's order: a message the victim sent, when they sent it where believed. */
function orderedAt(update: VictimUpdate): number {
  return (update.kind === 'sent' ? (update.sentAt ?? update.at) : update.at).getTime();
}

/** The victim's secure messages and the answers to them, from the contacts they started, each thread in conversation order. */
async function threadMessages(tx: Tx, forceId: ForceId, threads: Map<string, string>): Promise<VictimUpdate[]> {
  const updates: VictimUpdate[] = [];
  for (const [contactId, contactReference] of threads) {
    for (const message of await listConversationMessages(tx, forceId, contactId)) {
      if (message.direction === 'outbound') updates.push({ kind: 'reply', at: message.created_at, body: message.body });
      else if (message.meta.writtenBy !== 'channel') updates.push({ kind: 'sent', at: message.created_at, sentAt: message.sent_at, body: message.body, contactReference });
    }
  }
  return updates;
}

async function hasAnsweredSurvey(tx: Tx, forceId: ForceId, caseId: string, personId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('case_surveys')
    .select('score')
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

/** One appointment of the case, for its calendar file; null when it is not the case's, or is cancelled. */
export async function findVictimAppointment(
  deps: ServiceDeps,
  forceId: ForceId,
  caseId: string,
  personId: string,
  appointmentId: string,
  locale: HelpLocale,
): Promise<{ appointment: VictimAppointment; reference: string; forceName: string } | null> {
  const view = await getVictimCase(deps, forceId, caseId, personId, locale);
  // The id comes from the page's link as typed, not through a schema: ours are lower-case.
  const wanted = appointmentId.toLowerCase();
  const appointment = view?.appointments.find((a) => a.id === wanted && a.status !== 'cancelled' && a.at !== null);
  if (!view || !appointment) return null;
  const force = await withForce(deps.db, forceId, (tx) => tx.selectFrom('forces').select('name').where('id', '=', forceId).executeTakeFirstOrThrow());
  return { appointment, reference: view.reference, forceName: force.name };
}
