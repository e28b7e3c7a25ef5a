import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { JsonValue, OutboxAlternative } from '../../platform/db/tables.ts';
import { payloadText, type Job, type JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { findContactHandles } from '../people/people.service.ts';
import { queueMessages } from '../outbox/outbox.service.ts';
import { findBeingSent } from '../outbox/outbox-withdraw.service.ts';
import { findOptedOutNumbers } from '../channels/sms-opt-outs.service.ts';
import { journeyMessageQueued, journeyMessageSuppressed } from './journey.events.ts';
import { CASE_MOVE_EVENTS } from '../cases/case.machine.ts';
import { findOvertakenMilestones } from './case-milestone-log.service.ts';
import { UNNAMED, templateLocaleOf, type TemplateLocale } from './default-templates.schema.ts';
import { groundlessReason, matchRules, type JourneyRule } from './journey-rules.schema.ts';
import { decide, mayGoToPortal, phoneOf, type Victim } from './journey-decision.schema.ts';
import { findTakenBackByClosing, notRestoredReason, withRestoredListings, withStandingListings } from './restored-listings.service.ts';
import { AGAIN_KEY_PART, withReachedAgain, type Redecided } from './reached-again.service.ts';
import type { ContactChannel } from './safe-contact.schema.ts';
import { compileTemplate, formatWhen } from './message-render.schema.ts';
import { crimeTypeWords, textWithoutGaps, whenAndWhere } from './message-blanks.schema.ts';
import { preferencesOf, ruleOf } from './preferences.schema.ts';
import { postalAddressOf } from '../cases/postal-address.schema.ts';
import {
  findActiveJourneyRules,
  findCaseVictims,
  findForceLabels,
  findJourneyCases,
  findPeopleNames,
  findPreferencesOfCases,
  findTemplatesByKeys,
  findToldBeforeRemoval,
  insertJourneySends,
  type JourneySendRow,
} from './journey.repository.ts';

// The journey step: a case's milestone becomes, for each victim and each rule that matches, one
// message rendered in the victim's language for every channel they allow, held until its delay
// and their safe time have come, and queued in the outbox. This is the one place journey messages
// are queued, so the victim's safe-contact preferences are applied here and nowhere else.

/** One milestone of one case, as its job carries it. */
export type Milestone = {
  caseId: string;
  /** Unique per case: the journey sends a milestone's messages once. */
  milestoneId: string;
  /** The case event type: `case.created`, `case.suspect_arrested`… */
  milestone: string;
  details: Readonly<Record<string, string>>;
  note: string | null;
  occurredAt: Date;
  /** Decided again for its victim, once their details or preferences changed: these rules only (decision 0137). */
  redecides?: Redecided;
};

/**
 * Why a message is not queued, for now, for a victim added again: the same milestone's and rule's
 * message to the row they were on is being sent at this moment (decision 0150). Should it not reach
 * them after all (failed, withdrawn), it is decided again then (decision 0152).
 */
export const TOLD_BEFORE_NOT_KNOWN_YET =
  'a message of this to the row this victim was on before they were removed was being sent: whether it told them was not known yet; should it not reach them, they are told it then';

/** What went to a victim added again as they were on the case before, and what is on its way to them at this moment (`milestoneId\u0000ruleId`). */
type ToldBefore = { told: ReadonlySet<string>; beingSent: ReadonlySet<string> };

const NOTHING_TOLD: ToldBefore = { told: new Set(), beingSent: new Set() };

/**
 * What went to earlier rows of the victims added again these milestones are for alone (decisions
 * 0137, 0143), and which of their messages still waiting a delivery is sending at this moment:
 * read before the removal, it may be with the provider (decision 0150). Read for all of them at
 * once: those waiting are locked, in one id order, until the caller commits, so none is recorded
 * sent, nor read by a delivery, between this read and the decision. By victim id.
 */
async function toldBeforeRemoval(tx: Tx, forceId: ForceId, clock: Clock, milestones: readonly Milestone[], victims: readonly Victim[]): Promise<Map<string, ToldBefore>> {
  const alone = new Set(milestones.flatMap((m) => (m.details.forVictimId ? [`${m.caseId}\u0000${m.details.forVictimId}`] : [])));
  const found = await findToldBeforeRemoval(
    tx,
    forceId,
    victims.filter((v) => alone.has(`${v.caseId}\u0000${v.id}`)),
    AGAIN_KEY_PART,
  );
  const waiting = [...found.values()].flatMap((f) => [...f.waiting.keys()]);
  const beingSent = waiting.length > 0 ? await findBeingSent(tx, forceId, clock, waiting) : new Set<string>();
  return new Map(
    [...found].map(([victimId, f]) => [victimId, { told: f.told, beingSent: new Set([...f.waiting].flatMap(([id, pair]) => (beingSent.has(id) ? [pair] : []))) }]),
  );
}

/** What one batch did. */
export type JourneyOutcome = { queued: number; suppressed: number };

type Template = { subject: string; body: string };

/** The placeholders' values for one victim in one language. */
function valuesFor(
  victim: Victim,
  locale: TemplateLocale,
  milestone: Milestone,
  found: { reference: string; contactReference: string | null; crimeType: string | null },
  labels: Awaited<ReturnType<typeof findForceLabels>>,
): Record<string, string> {
  const label = (rows: { code: string; label: string; label_cy: string }[], code: string | null | undefined) => {
    const row = code ? rows.find((r) => r.code === code) : undefined;
    return row ? (locale === 'cy' ? row.label_cy : row.label) : '';
  };
  const at = milestone.details.at ? new Date(milestone.details.at) : null;
  const given = at && !Number.isNaN(at.getTime()) ? formatWhen(at, locale) : { date: '', time: '' };
  // A court date or appointment given without its place (or time) says so, rather than leave a
  // gap; a court listing of a day alone is told without a time.
  const when = whenAndWhere(milestone.milestone, { ...given, place: milestone.details.place ?? '' }, locale, isDateOnly(milestone));
  return {
    name: victim.name || UNNAMED[locale],
    reference: found.contactReference ?? found.reference,
    caseReference: found.reference,
    forceName: labels.forceName,
    officerName: milestone.details.officerName ?? milestone.details.team ?? '',
    team: milestone.details.team ?? '',
    date: when.date,
    time: when.time,
    place: when.place,
    outcome: label(labels.outcomes, milestone.details.outcomeCode),
    // A Welsh reason, where the milestone has one, for a Welsh-speaking victim.
    reason: (locale === 'cy' ? milestone.details.reasonCy : undefined) ?? milestone.details.reason ?? '',
    note: milestone.note ?? '',
    crimeType: crimeTypeWords(label(labels.crimeTypes, milestone.details.crimeType ?? found.crimeType), locale),
  };
}

/**
 * A template in the victim's language, else English. SMS has its own; the portal and letters use
 * the email's. A force's text that would leave a placeholder empty gives way to the default wording.
 */
function pickTemplate(templates: Map<string, Template>, key: string, channel: ContactChannel, locale: TemplateLocale, values: Readonly<Record<string, string>>, isDayAlone: boolean): Template | null {
  const kind = channel === 'sms' ? 'sms' : 'email';
  const found = templates.get(`${key}\u0000${kind}\u0000${locale}`) ?? templates.get(`${key}\u0000${kind}\u0000en`);
  return found ? textWithoutGaps(found, { key, kind, locale }, values, isDayAlone) : null;
}

/** The milestones that make or move an appointment, or list a hearing, which reminders are timed from. */
const TIMED_MILESTONES: ReadonlySet<string> = new Set([CASE_MOVE_EVENTS.appointment_made, CASE_MOVE_EVENTS.appointment_changed, CASE_MOVE_EVENTS.court_date_set]);

/** Whether the milestone names a day and no time: a court listing or an appointment whose time is not known yet (decisions 0070, 0077). */
function isDateOnly(milestone: Milestone): boolean {
  return milestone.details.isDateOnly === 'true';
}

/**
 * Sends the journey messages of a batch of milestones of one force, in the caller's transaction.
 * Rules, templates and labels are read once per batch; each decision (queued or suppressed, and
 * why) is taken once per case, milestone, rule and victim, however often this runs; one that could
 * not reach the victim is taken again once, when a change of theirs may let it (decision 0137).
 */
export async function sendJourneyMessages(tx: Tx, forceId: ForceId, clock: Clock, given: readonly Milestone[]): Promise<JourneyOutcome> {
  const milestones = withRestoredListings(await withReachedAgain(tx, forceId, await withStandingListings(tx, forceId, given)));
  const outcome: JourneyOutcome = { queued: 0, suppressed: 0 };
  if (milestones.length === 0) return outcome;
  const now = clock.now();
  const rules = (await findActiveJourneyRules(tx, forceId)).map(ruleOf);
  const wanted = new Set(milestones.map((m) => m.milestone));
  if (!rules.some((rule) => wanted.has(rule.milestone))) return outcome;
  const caseIds = [...new Set(milestones.map((m) => m.caseId))];
  const cases = new Map((await findJourneyCases(tx, forceId, caseIds)).map((row) => [row.id, row]));
  const victims = await victimsOf(tx, forceId, caseIds, cases);
  const preferences = new Map((await findPreferencesOfCases(tx, forceId, caseIds)).map((row) => [`${row.case_id}\u0000${row.victim_id}`, preferencesOf(row)]));
  const handles = await findContactHandles(tx, forceId, victims.flatMap((v) => (v.personId ? [v.personId] : [])));
  const optedOut = await findOptedOutNumbers(tx, forceId, victims.flatMap((v) => phoneOf(v, handles) ?? []));
  const labels = await findForceLabels(tx, forceId);
  // No message of an appointment's or a hearing's time (a reminder, its news: decision 0126) is
  // queued for a time a later milestone has overtaken: that milestone's own job withdraws only what
  // was queued before it ran.
  const timedFromMilestone = rules.some((rule) => TIMED_MILESTONES.has(rule.milestone));
  const timedCases = [...new Set(milestones.filter((m) => TIMED_MILESTONES.has(m.milestone)).map((m) => m.caseId))];
  const overtaken = timedFromMilestone && timedCases.length > 0 ? await findOvertakenMilestones(tx, forceId, timedCases) : new Map<string, string>();
  const takenBack = await findTakenBackByClosing(tx, forceId, milestones);
  const templates = new Map(
    (await findTemplatesByKeys(tx, forceId, [...new Set(rules.filter((r) => wanted.has(r.milestone)).map((r) => r.templateKey))])).map((t) => [
      `${t.key}\u0000${t.channel}\u0000${t.locale}`,
      { subject: t.subject, body: t.body },
    ]),
  );

  type Plan = JourneySendRow & { rule: JourneyRule; milestone: Milestone; victim: Victim; suppressedChannels: { channel: ContactChannel; reason: string }[]; send?: { channels: OutboxAlternative[]; spare: OutboxAlternative[]; notBefore: Date | null; locale: TemplateLocale } };
  const plans: Plan[] = [];
  // What went to a victim added again as they were on the case before (decision 0137), read for the victims milestones are for alone.
  const toldBefore = await toldBeforeRemoval(tx, forceId, clock, milestones.filter((m) => cases.has(m.caseId)), victims);
  for (const milestone of milestones) {
    const found = cases.get(milestone.caseId);
    if (!found) continue;
    // A milestone about one victim (an answer to their message, their addition to the case) is for them alone.
    const forPerson = milestone.details.forPersonId;
    const forVictim = milestone.details.forVictimId;
    for (const victim of victims.filter((v) => v.caseId === milestone.caseId && (!forPerson || v.personId === forPerson) && (!forVictim || v.id === forVictim))) {
      const prefs = preferences.get(`${victim.caseId}\u0000${victim.id}`) ?? preferencesOf(null);
      const facts = { milestone: milestone.milestone, crimeType: milestone.details.crimeType ?? found.crime_type, outcomeCode: milestone.details.outcomeCode ?? null };
      const told = forVictim ? (toldBefore.get(victim.id) ?? NOTHING_TOLD) : NOTHING_TOLD;
      const again = milestone.redecides;
      for (const rule of matchRules(rules, facts, { enhancedRights: victim.enhancedRights, domesticAbuse: prefs.domesticAbuse })) {
        if (again && (!again.ruleIds.has(rule.id) || (again.isStatutoryOnly && !rule.statutory))) continue;
        const key = `journey:${milestone.caseId}:${milestone.milestoneId}:${rule.id}${again ? AGAIN_KEY_PART : ''}:${victim.id}`;
        const base = { idempotencyKey: key, caseId: milestone.caseId, victimId: victim.id, ruleId: rule.id, templateKey: rule.templateKey, rule, milestone, victim };
        const overtakenBy = TIMED_MILESTONES.has(rule.milestone) ? overtaken.get(milestone.milestoneId) : undefined;
        const skip = groundlessReason(milestone.milestone, milestone.details) ?? (overtakenBy ? `${overtakenBy} before this was queued` : notRestoredReason(milestone, rule, victim, takenBack));
        const pair = `${milestone.milestoneId}\u0000${rule.id}`;
        // Neither queued beside it (told twice, should it go) nor refused for good (never told, should
        // the provider turn it down): recorded as not known yet, and decided again once the message
        // is known not to have reached them (decision 0152); the batch's other decisions are taken.
        const plan = skip
          ? { reason: skip, suppressedChannels: [] }
          : told.beingSent.has(pair)
            ? { reason: TOLD_BEFORE_NOT_KNOWN_YET, suppressedChannels: [] }
            : decide(prefs, rule, milestone, victim, found, handles, optedOut, now, told.told.has(pair));
        // Decided again and still not sent: the first decision stands, and the next change asks again.
        if (again && 'reason' in plan) continue;
        if ('reason' in plan) {
          plans.push({ ...base, outcome: 'suppressed', reason: plan.reason, suppressedChannels: plan.suppressedChannels });
          continue;
        }
        const locale = templateLocaleOf(prefs.language ?? victim.reportLanguage);
        const values = valuesFor(victim, locale, milestone, { reference: found.reference, contactReference: found.contact_reference, crimeType: found.crime_type }, labels);
        const channels = plan.channels.flatMap(({ channel, recipient }): OutboxAlternative[] => {
          const template = pickTemplate(templates, rule.templateKey, channel, locale, values, isDateOnly(milestone));
          if (!template) return [];
          return [{ channel, recipient, subject: compileTemplate(template.subject)(values), body: compileTemplate(template.body)(values) }];
        });
        if (channels.length === 0) {
          if (again) continue;
          plans.push({ ...base, outcome: 'suppressed', reason: `no template ${rule.templateKey} for any allowed channel`, suppressedChannels: plan.suppressedChannels });
          continue;
        }
        // Written for the channels they did not allow now too (with no address), so that staff can
        // send it again by one they allow later (decision 0058); the portal only where it may go.
        const unused = (['email', 'sms', 'portal'] as const).filter((c) => !channels.some((used) => used.channel === c) && (c !== 'portal' || mayGoToPortal(milestone)));
        const spare = unused.flatMap((channel): OutboxAlternative[] => {
          const template = pickTemplate(templates, rule.templateKey, channel, locale, values, isDateOnly(milestone));
          return template ? [{ channel, recipient: '', subject: compileTemplate(template.subject)(values), body: compileTemplate(template.body)(values) }] : [];
        });
        plans.push({ ...base, outcome: 'queued', reason: null, suppressedChannels: plan.suppressedChannels, send: { channels, spare, notBefore: plan.notBefore, locale } });
      }
    }
  }

  const fresh = await insertJourneySends(tx, forceId, now, plans);
  const actor = { type: 'system' as const, id: null };
  const toQueue: (Plan & { send: NonNullable<Plan['send']> })[] = [];
  for (const plan of plans) {
    if (!fresh.has(plan.idempotencyKey)) continue;
    const about = { step: plan.templateKey, victimId: plan.victimId, milestone: plan.milestone.milestone, ruleId: plan.ruleId, statutory: plan.rule.statutory };
    for (const suppressed of plan.suppressedChannels) {
      record(tx, forceId, clock, journeyMessageSuppressed.of({ actor, subjectId: plan.caseId, data: { ...about, channel: suppressed.channel, reason: suppressed.reason } }));
    }
    if (plan.send) {
      toQueue.push({ ...plan, send: plan.send });
      continue;
    }
    outcome.suppressed += 1;
    record(tx, forceId, clock, journeyMessageSuppressed.of({ actor, subjectId: plan.caseId, data: { ...about, channel: null, reason: plan.reason ?? '' } }));
  }
  // One statement for the lot: a burst of milestones is a burst of messages.
  const outboxIds = await queueMessages(
    tx,
    forceId,
    clock,
    toQueue.map((plan) => ({
      channels: plan.send.channels,
      alsoWrittenFor: plan.send.spare,
      purpose: `journey:${plan.templateKey}`,
      idempotencyKey: plan.idempotencyKey,
      contactId: cases.get(plan.caseId)?.contact_id ?? null,
      caseId: plan.caseId,
      personId: plan.victim.personId,
      notBefore: plan.send.notBefore,
    })),
  );
  toQueue.forEach((plan, i) => {
    const outboxId = outboxIds[i];
    if (!outboxId) return;
    outcome.queued += 1;
    const data = {
      step: plan.templateKey,
      victimId: plan.victimId,
      milestone: plan.milestone.milestone,
      ruleId: plan.ruleId,
      statutory: plan.rule.statutory,
      outboxId,
      channel: plan.send.channels[0]?.channel ?? 'email',
      language: plan.send.locale,
      notBefore: plan.send.notBefore?.toISOString() ?? null,
    };
    record(tx, forceId, clock, journeyMessageQueued.of({ actor, subjectId: plan.caseId, data }));
  });
  return outcome;
}

/**
 * The victims of the cases: their `case_people` victims. The person who reported a case is one of
 * them when they are its victim: a row of their own since decision 0056 (once implied here, by
 * their person id), so a reporter said not to be the victim, or removed, is told nothing.
 */
export async function victimsOf(tx: Tx, forceId: ForceId, caseIds: readonly string[], cases: Map<string, Awaited<ReturnType<typeof findJourneyCases>>[number]>): Promise<Victim[]> {
  const rows = await findCaseVictims(tx, forceId, caseIds);
  const names = new Map((await findPeopleNames(tx, forceId, rows.flatMap((r) => (r.person_id ? [r.person_id] : [])))).map((p) => [p.id, p.display_name]));
  const fromReport = (caseId: string, personId: string | null) => {
    const found = cases.get(caseId);
    const meta = found && personId && found.person_id === personId ? found.contact_meta : null;
    return { reportLanguage: typeof meta?.language === 'string' ? meta.language : null, reportPhone: typeof meta?.phone === 'string' ? meta.phone : null };
  };
  return [
    ...rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      personId: r.person_id,
      name: r.name || (r.person_id ? (names.get(r.person_id) ?? null) : null),
      enhancedRights: r.enhanced_rights,
      ...fromReport(r.case_id, r.person_id),
      ...(r.language ? { reportLanguage: r.language } : {}),
      ownEmail: r.email,
      ownPhone: r.phone,
      postalAddress: postalAddressOf(r),
      addedAt: r.added_at,
    })),
  ];
}

/** A milestone from its job's payload; the job was created in the milestone's transaction, so its time is the milestone's. */
export function milestoneOfJob(job: Job): Milestone {
  const details = job.payload.details;
  const note = job.payload.note;
  return {
    caseId: payloadText(job, 'caseId'),
    milestoneId: payloadText(job, 'milestoneId'),
    milestone: payloadText(job, 'milestone'),
    details: isTextRecord(details) ? details : {},
    note: typeof note === 'string' ? note : null,
    occurredAt: job.createdAt,
  };
}

function isTextRecord(value: JsonValue | undefined): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Runs one milestone's journey. Safe to repeat: each decision is taken once. */
export function createMilestoneHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const milestone = milestoneOfJob(job);
    await inForce((tx) => sendJourneyMessages(tx, job.forceId, deps.clock, [milestone]));
  };
}

/** The first journeys' job (`case.report_received` once per case) runs as the case's `case.created` milestone. */
export function createLegacyStepHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const milestone: Milestone = { caseId: payloadText(job, 'caseId'), milestoneId: 'created', milestone: 'case.created', details: {}, note: null, occurredAt: job.createdAt };
    await inForce((tx) => sendJourneyMessages(tx, job.forceId, deps.clock, [milestone]));
  };
}
