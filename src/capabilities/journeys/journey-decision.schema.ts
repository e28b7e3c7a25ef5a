import { dueTime, passingOf, type JourneyRule } from './journey-rules.schema.ts';
import { MILESTONES_NAMING_A_TIME } from './journey-rule-admin.schema.ts';
import { normalisePhone } from '../people/people.schema.ts';
import { smsOptedOutReason } from '../channels/sms-opt-out.events.ts';
import type { SmsOptOutSource } from '../channels/sms-opt-out.machine.ts';
import { allowedChannels, messageSuppression, nextSafeTime, type ContactChannel, type ContactPreferences } from './safe-contact.schema.ts';
import type { PostalAddress } from '../cases/postal-address.schema.ts';
import { letterRecipientOf } from './letter-recipient.schema.ts';

// Whether and how one rule's message reaches one victim: the one decision the journey step takes
// before it queues a message (`journey-send.service.ts`), and the one the reason of a reminder
// taken back for a new time asks, so that what staff read of a replacement and what the journey
// does cannot disagree (decision 0134). It reads nothing itself: what it asks comes in.

/** A victim of a case, as the journey reads them. */
export type Victim = {
  id: string;
  caseId: string;
  personId: string | null;
  name: string | null;
  enhancedRights: boolean;
  /** For the person who reported it: the language of their report, and a number they gave beside their email address. */
  reportLanguage: string | null;
  reportPhone: string | null;
  /** Addresses kept on the victim's own row (from the records system), used when no person has them. */
  ownEmail: string | null;
  ownPhone: string | null;
  /** Where their letters go (decision 0136); null when none is kept. */
  postalAddress: PostalAddress | null;
  /** When they were added to the case. */
  addedAt: Date;
};

/** A milestone as the decision reads it. */
export type DecidedMilestone = { milestone: string; details: Readonly<Record<string, string>>; occurredAt: Date };

/** Why a reminder is not queued when the victim may be told it only once the time it reminds of has come. */
export const SAFE_TIME_TOO_LATE = 'the victim’s next safe time comes after the time it is about';

/** Why a message is not queued: nothing we know of this victim could reach them. A change of their details or preferences decides it again (decision 0137). */
export const NO_REACHABLE_CHANNEL = 'no address for any allowed channel';

/** Why a message is not queued for a victim added again: it went to them as they were on the case before (decisions 0137, 0143). */
export const TOLD_BEFORE_REMOVAL = 'told to them before they were removed from the case';

export type Handles = Map<string, { email: string | null; phone: string | null }>;

/** Why the portal is left out for a victim: nothing could send them the code that opens it. */
const NO_PORTAL_SIGN_IN = 'portal: no email address or phone number to send them a sign-in code';

/**
 * The number a victim is texted at. Only a number that is one can be texted: stored numbers are
 * E.164 already; one typed beside an email address may not be. The victim's own number on the
 * case (an officer may have corrected it) comes first.
 */
export function phoneOf(victim: Victim, handles: Handles): string | null {
  const handle = victim.personId ? handles.get(victim.personId) : undefined;
  const own = victim.ownPhone ? normalisePhone(victim.ownPhone) : null;
  return own ?? handle?.phone ?? (victim.reportPhone ? normalisePhone(victim.reportPhone) : null);
}

/** Whether the milestone's message may go to the portal inbox: not when it is there already (an answer in the victim's portal conversation). */
export function mayGoToPortal(milestone: DecidedMilestone): boolean {
  return milestone.details.isInPortal !== 'true';
}

/**
 * Whether and how one rule's message may reach one victim: the channels their preferences allow
 * (and those they rule out, each with the reason), and when: the rule's delay, moved on to the
 * start of their next safe time. Or why it is not sent at all: among the reasons, that it went to
 * them already as they were on the case before (`isToldBefore`, decision 0137).
 */
export function decide(
  prefs: ContactPreferences,
  rule: JourneyRule,
  milestone: DecidedMilestone,
  victim: Victim,
  found: { reference: string },
  handles: Handles,
  optedOut: ReadonlyMap<string, SmsOptOutSource>,
  now: Date,
  isToldBefore = false,
): { channels: { channel: ContactChannel; recipient: string }[]; suppressedChannels: { channel: ContactChannel; reason: string }[]; notBefore: Date | null } | { reason: string; suppressedChannels: { channel: ContactChannel; reason: string }[] } {
  if (isToldBefore) return { reason: TOLD_BEFORE_REMOVAL, suppressedChannels: [] };
  const whole = messageSuppression(prefs, rule);
  if (whole) return { reason: whole, suppressedChannels: [] };
  const handle = victim.personId ? handles.get(victim.personId) : undefined;
  const email = victim.ownEmail ?? handle?.email ?? null;
  const phone = phoneOf(victim, handles);
  // The portal inbox is the case's: the victim signs in to it with their reference and a code sent
  // to their email, else by text to their phone, never to a phone they said not to text. One who
  // cannot be sent a code cannot open it, so it is not theirs and cannot stand for telling them
  // (decision 0064): the message falls to no channel rather than to an inbox nobody reads.
  const canSignIn = victim.personId !== null && (email !== null || (phone !== null && !prefs.neverSms && !prefs.portalOnly));
  // What is already in the portal inbox (`isInPortal`) is not put there a second time: it is told by the other channels only.
  const portalInbox = mayGoToPortal(milestone) ? found.reference : null;
  // A number that replied STOP, or whose opt-out staff recorded, is not texted (the provider would
  // refuse the first): the next channel tells them.
  const optOut = phone ? optedOut.get(phone) : undefined;
  const refused = {
    ...(optOut ? { sms: smsOptedOutReason(optOut) } : {}),
    ...(canSignIn ? {} : { portal: NO_PORTAL_SIGN_IN }),
  };
  const decision = allowedChannels(prefs, { email, sms: phone, portal: portalInbox, letter: letterRecipientOf(victim) }, refused);
  if (decision.allowed.length === 0) return { reason: NO_REACHABLE_CHANNEL, suppressedChannels: decision.suppressed };
  const at = milestone.details.at ? new Date(milestone.details.at) : null;
  const due = dueTime(rule, { occurredAt: milestone.occurredAt, at: at && !Number.isNaN(at.getTime()) ? at : null, now, isDateOnly: isDateOnly(milestone) });
  if ('skip' in due) return { reason: due.skip, suppressedChannels: [] };
  const safe = nextSafeTime(prefs.safeWindows, due.due.getTime() < now.getTime() ? now : due.due);
  // A reminder that could go only once the time it reminds of had come is not queued: its delivery
  // would not send it (decision 0117), and staff would read that a reminder of the new time was
  // coming. (The news of a time held so is still queued, and refused at delivery: decision 0126.)
  if (at && !Number.isNaN(at.getTime()) && isReminderRule(rule) && safe.getTime() >= passingOf(at, isDateOnly(milestone)).getTime()) {
    return { reason: SAFE_TIME_TOO_LATE, suppressedChannels: [] };
  }
  return { channels: decision.allowed, suppressedChannels: decision.suppressed, notBefore: safe.getTime() > now.getTime() ? safe : null };
}

/** Whether the milestone names a day and no time (decisions 0070, 0077). */
function isDateOnly(milestone: DecidedMilestone): boolean {
  return milestone.details.isDateOnly === 'true';
}

/** Whether a rule reminds of the time its milestone names: counted from that time, going at or before it. Pure. */
export function isReminderRule(rule: Pick<JourneyRule, 'milestone' | 'delayFrom' | 'delayMinutes'>): boolean {
  return rule.delayFrom === 'at' && rule.delayMinutes <= 0 && MILESTONES_NAMING_A_TIME.has(rule.milestone);
}
