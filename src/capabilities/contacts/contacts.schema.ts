import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { alertView, slaClockView } from '../queue/routing.schema.ts';
import { GRADES } from '../grading/grading.schema.ts';
import { INCIDENT_STATUSES } from '../incidents/incident.machine.ts';

export const CLOSE_OUTCOMES = [
  'advice_given',
  'referred',
  'no_further_action',
  'duplicate',
  'crime_recorded',
  'incident_created',
] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const contactIdParams = z.object({ id: idField('must be a contact id') });
export const listContactsQuery = z.object({
  status: z.enum(['open', 'closed']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  assigned: z.enum(['me', 'unassigned', 'any']).default('any'),
  queue: idField('must be a queue id').optional(),
});
/** Whether text holds a control character (a search may not: a NUL cannot reach the database). */
const hasControlCharacter = (text: string) => [...text].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const CONTACT_SEARCH_MAX_LENGTH = 200;
export const searchContactsQuery = z
  .object({
    q: z
      .string()
      .max(CONTACT_SEARCH_MAX_LENGTH, `must be ${CONTACT_SEARCH_MAX_LENGTH} characters or fewer`)
      .refine((text) => !hasControlCharacter(text), 'must not contain control characters')
      .optional()
      .describe('text found in the reference, the person\'s name, phone or email, or any message; any case, wildcards taken literally'),
    status: z.enum(['open', 'closed', 'any']).default('any'),
    queue: idField('must be a queue id').optional(),
    channel: z
      .string()
      .regex(/^[a-z0-9_-]{1,40}$/, 'must be a channel name')
      .optional(),
    priority: z.coerce.number().int().min(1, 'must be 1 to 4').max(4, 'must be 1 to 4').optional(),
    assignee: z.union([z.enum(['me', 'unassigned']), idField()], { error: 'must be me, unassigned or a member of staff\'s id' }).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    after: idField('must be a cursor from a page').optional().describe('nextCursor of the page before'),
    before: idField('must be a cursor from a page').optional().describe('previousCursor of the page after'),
  })
  .refine((query) => !(query.after && query.before), { message: 'give after or before, not both', path: ['before'] });

export const replyBody = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(5000, 'must be 5,000 characters or fewer').meta({ title: 'Reply' }),
  quoteMessageId: idField('must be the id of a message of this contact')
    .optional()
    .describe(
      "reply to this message: the id of one of the conversation's messages (the person's or ours, from this contact's messages). WhatsApp shows it quoted and email names it in In-Reply-To; on other channels the reply goes unquoted and quoteNote says so. 404 when it is not this conversation's, 409 when it has no provider id (it was never sent)",
    ),
});
export const closeBody = z.strictObject({
  outcome: z.enum(CLOSE_OUTCOMES),
  note: z.string().trim().max(2000).optional(),
});
export const reopenBody = z
  .strictObject({
    reason: z.string().trim().max(2000, 'must be 2,000 characters or fewer').optional(),
  })
  .nullish();

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** A contact as the queue lists it. */
export const contactSummary = z
  .object({
    id: z.string(),
    reference: z.string(),
    channel: z.string(),
    status: z.enum(['open', 'closed']),
    priority: z.number().int().describe('1 (most urgent) to 4'),
    priorityLabel: z.string(),
    score: z.number(),
    summary: z.string(),
    personName: z.string().nullable(),
    receivedAt: isoTime,
    queueName: z.string().nullable(),
    assignedToId: z.string().nullable(),
    assignedToName: z.string().nullable(),
    isThreatToLife: z.boolean(),
    sla: z
      .object({ kind: z.string(), dueAt: isoTime, warnAt: isoTime, state: slaClockView.shape.state })
      .nullable()
      .describe("the contact's earliest-due running SLA clock, if any"),
  })
  .meta({ id: 'ContactSummary' });
export type ContactSummary = z.infer<typeof contactSummary>;

/** One page of a search of the force's contacts, newest first. */
export const contactSearchPage = z
  .object({
    contacts: z.array(contactSummary),
    total: z.number().int().describe('how many contacts the search finds in all'),
    nextCursor: z.string().nullable().describe('pass as `after` for the next page; null on the last'),
    previousCursor: z.string().nullable().describe('pass as `before` for the previous page; null on the first'),
  })
  .meta({ id: 'ContactSearchPage' });
export type ContactSearchPage = z.infer<typeof contactSearchPage>;
/** A position a channel gave for the person (AML during a call, a shared location), in WGS 84 degrees. */
export const contactPlace = z
  .object({
    lat: z.number(),
    lon: z.number(),
    radiusMetres: z.number().nullable().describe('how far off the position may be, when the channel says'),
    source: z.enum(['aml', 'shared']).describe('aml: Advanced Mobile Location from the handset; shared: the person shared their location'),
    at: isoTime.nullable().describe('when the position was taken, when the channel says'),
  })
  .meta({ id: 'ContactPlace' });
export type ContactPlace = z.infer<typeof contactPlace>;

/** A file the public sent with a message; its bytes are at GET /api/attachments/{id}. */
export const messageAttachment = z
  .object({
    id: z.string(),
    filename: z.string().nullable().describe('the name the sender gave it, if any (theirs: treat it as text, never as a path)'),
    contentType: z.string().nullable().describe('what its bytes are, by their first bytes (null if unrecognised or not fetched yet)'),
    declaredType: z.string().nullable().describe('what the sender or provider said it was; never used to open it'),
    sizeBytes: z.number().int(),
    sha256: z.string().nullable().describe('SHA-256 of the bytes as received (hex); null until fetched'),
    state: z
      .enum(['stored', 'too_large', 'fetching', 'refused'])
      .describe(
        'stored: it can be opened; too_large: over 10 MB, only its hash was kept; fetching: the provider only linked to it and the download has not finished (or is being tried again); refused: not downloaded, for the reason in refusal (for good unless canRetry)',
      ),
    refusal: z.string().nullable().describe('why the file was not downloaded (its hash was not the one the provider gave, it was too large or not a kind of file the channel carries, or the provider kept failing); null unless refused'),
    isShownInPlace: z.boolean().describe('true for JPEG, PNG and GIF images, which the browser shows; anything else downloads'),
    canRetry: z
      .boolean()
      .describe('true when it was refused because the provider could not be reached: staff who may reply can try again (POST /api/attachments/{id}/retry); false for a check\'s refusal and any other state'),
  })
  .meta({ id: 'MessageAttachment' });

/** The earlier message a message answers. */
export const messageQuote = z
  .object({
    providerMessageId: z.string().describe("the provider's id of the quoted message, as the provider gave it"),
    messageId: z.string().nullable().describe('that message, when it is one of this conversation we sent or received; null when it never reached us (or is not ours to show)'),
    contactId: z.string().nullable().describe('the contact that message belongs to (an earlier contact of the same conversation, perhaps)'),
    direction: z.enum(['inbound', 'outbound']).nullable().describe('whether the quoted message was the person\'s or ours; null when unknown'),
    excerpt: z.string().nullable().describe('the first words of the quoted message, as plain text; null when unknown'),
  })
  .meta({ id: 'MessageQuote' });

/** One message of a contact's thread. */
export const threadMessage = z
  .object({
    id: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    author: z
      .enum(['public', 'staff', 'system'])
      .describe("who wrote it: the public, staff, or the system (a call's record, a handset's location, an automatic acknowledgement)"),
    body: z.string(),
    createdAt: isoTime.describe('when it reached us (or was written, for staff and the system): the time the thread is ordered by where `sentAt` is null'),
    sentAt: isoTime
      .nullable()
      .describe("when the person sent it, as the provider says, for a message from the public whose provider gave a time it could be; null when unknown (none given, or one that could not be a time). The thread is ordered by it where known, else by `createdAt`; equal times in the order stored (decision 0186)"),
    authorName: z.string().nullable(),
    channel: z.string(),
    medium: z
      .enum(['whatsapp'])
      .nullable()
      .describe('how it travelled when its channel carries more than one way: whatsapp for WhatsApp through the Twilio text channel; null otherwise'),
    editOf: z
      .object({
        messageId: z.string().nullable().describe('the message of this thread it changes; null when that one never reached us'),
        number: z.number().int().nullable().describe("which edit of that message this is (Meta's count), when known"),
      })
      .nullable()
      .describe('for a correction the person made to an earlier message (Messenger and Instagram let them edit one, kept as a message of its own; the earlier text stays as sent); null otherwise'),
    quotes: messageQuote
      .nullable()
      .describe('for a reply to an earlier message (the person\'s on WhatsApp, or staff\'s chosen with "reply to this message"): which message; null otherwise'),
    canBeQuoted: z
      .boolean()
      .describe('true when staff may reply to this message in particular (quoteMessageId): the contact is open, its channel shows which message a reply answers, and the message has the provider\'s id'),
    forwarded: z
      .enum(['once', 'frequently'])
      .nullable()
      .describe("whether the provider marked the message forwarded (frequently: WhatsApp's \"forwarded many times\"); null otherwise"),
    deliveryStatus: z.string().nullable(),
    deliveryError: z.string().nullable().describe('the provider\'s reason when a reply could not be delivered (or is being retried)'),
    attachments: z.array(messageAttachment).describe('files sent with the message, oldest first'),
  })
  .meta({ id: 'ThreadMessage' });

/** The reply just stored (its delivery has not been tried yet). */
export const sentReply = z
  .object({
    id: z.string(),
    direction: z.literal('outbound'),
    body: z.string(),
    createdAt: isoTime,
    channel: z.string(),
    deliveryStatus: z.string(),
    quotes: messageQuote.nullable().describe('the message the reply answers, when quoteMessageId was given and the channel carries it'),
    quoteNote: z.string().nullable().describe('why a reply asked to quote a message went without the quote (the channel cannot show one); null otherwise'),
  })
  .meta({ id: 'SentReply' });

// Triage explanations are stored with the contact as they were when it was triaged; older ones
// lack fields added since, so only what every stored version has is required, and nothing stored
// is left out.
const storedTriageMatch = z.looseObject({
  ruleId: z.string(),
  phrase: z.string(),
  category: z.string(),
  weight: z.number(),
  start: z.number().int().describe('UTF-16 offset into the message body (inclusive)'),
  end: z.number().int().describe('UTF-16 offset into the message body (exclusive)'),
  matchedText: z.string(),
  messageId: z.string().describe('the message the text was found in'),
  treatment: z.enum(['counted', 'reported', 'uncorroborated', 'hyperbole', 'negated', 'repeat']).optional(),
  negatedBy: z.string().optional(),
});

/** How triage scored the contact: its matches, contributions and explanation. */
export const storedTriage = z
  .looseObject({
    score: z.number(),
    priority: z.number().int(),
    priorityLabel: z.string(),
    ruleSetVersion: z.number().int(),
    matches: z.array(storedTriageMatch),
    negatedMatches: z.array(storedTriageMatch).optional(),
    categories: z.array(z.string()).optional(),
    contributions: z.array(z.looseObject({ label: z.string(), points: z.number(), signal: z.string().optional() })),
    explanation: z.array(z.string()),
  })
  .meta({ id: 'StoredTriage' });
export type StoredTriage = z.infer<typeof storedTriage>;

const earlierContact = z.object({
  id: z.string(),
  reference: z.string(),
  channel: z.string(),
  status: z.enum(['open', 'closed']),
  receivedAt: isoTime,
  summary: z.string(),
});

/** One contact with everything an operator needs to handle it. */
export const contactDetail = z
  .object({
    contact: contactSummary.extend({
      outcome: z.string().nullable(),
      closedAt: isoTime.nullable(),
      caseId: z.string().nullable(),
      caseReference: z.string().nullable(),
      location: z.string().nullable().describe('where it happened, in the reporter\'s words'),
      occurredText: z.string().nullable().describe('when it happened, in the reporter\'s words'),
      canReplyInWriting: z.boolean().describe('false for a call or a callback: the person is answered by calling them back'),
      replyWindow: z
        .object({
          closesAt: isoTime.nullable().describe('when the window closes: `hours` after the person last wrote on this account; null if they never have'),
          isOpen: z
            .boolean()
            .describe('false once it has closed: a WhatsApp reply then goes only as the force’s approved template, or fails if none is set; a Messenger or Instagram reply fails before Meta'),
          kind: z
            .enum(['whatsapp', 'meta_message', 'meta_private_reply'])
            .describe('whose rule: WhatsApp’s customer service window, Meta’s messaging window for direct messages, or Meta’s days for one private reply to a comment'),
          hours: z.number().int().positive().describe('how long the window lasts after the person’s last message: 24, or 168 (7 days) for Meta replies tagged HUMAN_AGENT and private replies to comments'),
        })
        .nullable()
        .describe('the window within which a reply reaches the person (WhatsApp; Messenger and Instagram); null for channels and replies without one'),
      privateReply: z
        .object({
          commentedAt: isoTime.describe('when the comment a private reply answers (the contact’s latest) was made, by Meta’s time of it where it gave one, else when it was received'),
          sentAt: isoTime.nullable().describe('when the private reply Meta took was written; null if none has been'),
          isSending: z.boolean().describe('true while a private reply to the comment is queued or being retried: it holds the one Meta allows'),
          refusal: z
            .string()
            .nullable()
            .describe('why a private reply cannot go (one was sent or is on its way; the comment is more than 7 days old), as a reply would be refused (409); null when it can'),
        })
        .nullable()
        .describe('the comment’s one private reply (Meta allows one, within 7 days of the comment), for an account that answers comments privately; null otherwise'),
      place: contactPlace.nullable().describe('the newest position a channel gave for the person'),
      language: z.string().nullable().describe('the language the person chose or wrote in (en, cy)'),
    }),
    routing: z.object({
      queue: z.object({ id: z.string(), key: z.string(), name: z.string(), isControlRoom: z.boolean() }).nullable(),
      assignedTo: z.object({ id: z.string(), name: z.string() }).nullable(),
      assignedAt: isoTime.nullable(),
      enqueuedAt: isoTime.nullable(),
      isThreatToLife: z.boolean(),
      requiredSkills: z.array(z.string()),
      preferredSkills: z.array(z.string()),
      clocks: z.array(slaClockView),
      alerts: z.array(alertView),
      callback: z
        .object({
          forContactId: z.string().nullable(),
          forReference: z.string().nullable(),
          number: z.string().nullable(),
          note: z.string().nullable().describe('what whoever asked for the callback wants the caller to know'),
        })
        .nullable()
        .describe('set when this contact is a call back the person asked for'),
    }),
    messages: z.array(threadMessage).describe('In the order a conversation is read, as the case conversation is: by `sentAt` where known, else `createdAt`; equal times in the order stored (decision 0186)'),
    triage: storedTriage.nullable(),
    person: z
      .object({
        id: z.string(),
        name: z.string().nullable(),
        email: z.string().nullable(),
        identities: z.array(
          z.object({
            kind: z.string(),
            value: z.string(),
            isLinked: z.boolean(),
            smsOptedOutAt: z.string().nullable().describe('For a phone number that replied STOP to our texts or whose opt-out staff recorded, when (ISO 8601, UTC): no text goes to it'),
            smsOptOutSource: z.enum(['keyword', 'staff']).nullable().describe('keyword: they texted STOP, and only their START lifts it; staff: a member of staff recorded it; null when not opted out'),
          }),
        ),
        earlierContacts: z.array(earlierContact).describe('of this person and every record linked to them, newest first'),
      })
      .nullable(),
    timeline: z.array(z.object({ seq: z.number().int(), type: z.string(), at: isoTime, actor: z.string(), summary: z.string() })),
    incidents: z
      .array(
        z.object({
          id: z.string(),
          reference: z.string().describe('e.g. INC-42'),
          status: z.enum(INCIDENT_STATUSES),
          grade: z.enum(GRADES).nullable(),
          linkedAt: isoTime,
        }),
      )
      .describe('the incidents this contact is linked to now (by grading it, or from the incident), oldest link first; a contact is on at most one live incident'),
  })
  .meta({ id: 'ContactDetail' });

/** A case opened from a contact. */
