import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';
import { journeyMilestoneJob } from '../journeys/journey.events.ts';
import { PORTAL_SIGN_IN_ENDINGS } from '../report-status/portal-sign-in.machine.ts';

// The victim portal's entries in the event catalogue. Codes never reach the log; a victim's
// message text stays in its contact's messages, the event only points at it.

/** A victim asked for a code to follow their case; it went to their own address by the outbox. */
export const portalCaseCodeSent = defineEvent({
  type: 'portal.case_code_sent',
  subject: 'case',
  data: { codeId: z.string(), personId: z.string(), outboxId: z.string().optional() },
  jobs: (e) => (e.data.outboxId ? [outboxDeliveryJob(e.data.outboxId)] : []),
});

/** A victim gave the right code and opened their case on the portal. */
export const portalCaseAccessGranted = defineEvent({
  type: 'portal.case_access_granted',
  subject: 'case',
  data: { codeId: z.string(), personId: z.string() },
});

/**
 * A victim's sign-in to their case page ended before its time (decision 0180): they signed out, or
 * signed in to the case again. Ids only: the sign-in's is the `codeId` of its
 * `portal.case_access_granted`. One that ran out records nothing.
 */
export const portalCaseSignInEnded = defineEvent({
  type: 'portal_sign_in.case_ended',
  subject: 'case',
  data: { signInId: z.string(), personId: z.string(), how: z.enum(PORTAL_SIGN_IN_ENDINGS) },
});

/** A victim sent the officer a secure message from the case page: it is a message of `contactId`, in the queue. */
export const portalCaseMessageSent = defineEvent({
  type: 'portal.case_message_sent',
  subject: 'case',
  data: { personId: z.string(), contactId: z.string(), contactReference: z.string(), messageId: z.string().nullable() },
});

/**
 * A member of staff answered a victim's secure message from the case: the reply is message
 * `messageId` of `contactId`, on the victim's case page. It is a journey milestone of its own (a
 * rule of `journey-defaults.repository.ts` names it): the journey tells that victim (and no other) that it
 * is there, by the channels their preferences allow, never with its text.
 */
export const portalCaseReplySent = defineEvent({
  type: 'portal.case_reply_sent',
  subject: 'case',
  data: {
    personId: z.string(),
    contactId: z.string(),
    messageId: z.string(),
    /** The id the console gave the request: the same id again sends nothing more (docs/decisions/0063). */
    submissionId: z.string().optional(),
  },
  jobs: (e) => [
    journeyMilestoneJob({ caseId: e.subject.id, milestoneId: `reply:${e.data.messageId}`, milestone: e.type, details: { forPersonId: e.data.personId, isInPortal: 'true' }, note: null }),
  ],
});

/** A victim answered the closure survey (1 very dissatisfied … 5 very satisfied), with the case's team then. */
export const portalSatisfactionAnswered = defineEvent({
  type: 'portal.satisfaction_answered',
  subject: 'case',
  data: { personId: z.string(), score: z.number().int().min(1).max(5), team: z.string().nullable() },
});

/** A force admin created or changed a help article. */
export const helpArticleSaved = defineEvent({
  type: 'help.article_saved',
  subject: 'help_article',
  data: { slug: z.string(), isNew: z.boolean(), published: z.boolean() },
});

/** The victim portal's entries, for the catalogue. */
export const VICTIM_PORTAL_EVENTS = [portalCaseCodeSent, portalCaseAccessGranted, portalCaseSignInEnded, portalCaseMessageSent, portalCaseReplySent, portalSatisfactionAnswered, helpArticleSaved] as const;
