import type { JsonValue } from '../../platform/db/tables.ts';
import type { ContactId } from '../../platform/ids.ts';
import type { IdentityKind } from '../people/people.schema.ts';

/**
 * One message from the public, normalised by its channel: what intake records. `providerMessageId`
 * is the idempotency key. Everything intake acts on is a typed field here; `meta` is the adapter's
 * own, which intake stores and reads only for a machine's mark (`isAutomatic`).
 */
export type InboundMessage = {
  providerMessageId: string;
  /** Identifies the conversation on this channel: a DM thread, a post's comments, an email thread. */
  threadKey: string;
  sender: { kind: IdentityKind; value: string; displayName: string | null };
  body: string;
  sentAt: Date | null;
  /** Provider ids of earlier messages this one answers (email In-Reply-To and References). */
  inReplyTo?: string[];
  /** A contact reference the message quotes (an email subject, say): it joins that contact if it is the sender's. Null when looked for and not found. */
  referenceHint?: string | null;
  /** When the conversation on this thread began, as the channel reports it (a call reaching the telephony platform). */
  startedAt?: Date;
  /** When the conversation on this thread ended, as the channel reports it (a call ended or abandoned). */
  endedAt?: Date;
  /**
   * Join the sender's open contact on this channel, on a thread of kind `threadKind` (`call`), whose
   * conversation began (`startedAt`) at or before `at` and at most `withinMinutes` before it: the
   * latest such (a handset's location fix goes to the call it was dialled with, not to an earlier
   * call still open). `at` is when the message was made, as the sender says; taken as its arrival
   * when not given or later than it. With none, the message goes to its own thread.
   */
  joinContactStartedBy?: {
    threadKind: string;
    at: Date | null;
    withinMinutes: number;
    /**
     * How far the sender's clock may be from the platform's: a conversation that began up to this
     * long after `at` is still a candidate, and one that has ended (`endedAt` of one of its
     * messages) is not when the message's `begunAt` (the sender's own start of conversation, when
     * it says), or else `at`, is more than this after the end (decision 0107); nor one the sender
     * has left for a newer conversation, when that is later than this before the newer one began
     * and more than this after the older one began (decision 0113). None: 0.
     */
    toleranceSeconds?: number;
    begunAt?: Date | null;
    /**
     * When no conversation matches by `at`: the sender's open, unended one that had begun when the
     * message reached us, within `withinMinutes` of then, is still its own if `at` reads no more than
     * this before that one began (a sender's clock minutes behind, or a conversation presented long
     * after the sender began it; decision 0113). None: 0, no such second look.
     */
    readsBeforeMinutes?: number;
  };
  /**
   * When the message's own thread has no contact yet: the sender's open contact on `threadKey` (this
   * channel) that received a message in the last `withinMinutes` becomes this thread's contact (a 999
   * call taking over the contact its handset's location began moments before; decision 0092). The
   * minutes are ours, from when that message reached us, not the sender's time in it (decision 0113).
   */
  takeOverContactOn?: { threadKey: string; withinMinutes: number };
  /**
   * When this message begins its thread's contact (or takes one over), and says when its
   * conversation began (`startedAt`): the sender's messages that reached us in the last
   * `withinMinutes` and joined an earlier conversation on a thread of `threadKind`
   * (`joinContactStartedBy`), but by their own times are this conversation's now that it is known,
   * are copied onto this contact (a redial's AML fix that came before the redial's call; decision 0120).
   */
  claimJoinedMessages?: { threadKind: string; withinMinutes: number };
  /** The sender asked to be called back on this number: intake creates a callback for it. */
  callbackNumber?: string;
  /** The line the contact came in on (`999`, `101`), which triage weighs. */
  line?: string;
  /** The language the sender wrote in (`en` or `cy`): a Welsh speaker is preferred for `cy`. */
  language?: string;
  /** Where the sender is, as the channel gave it (a handset's AML fix, a shared location): the operator sees it as a place. */
  place?: SharedPlace;
  /**
   * Who wrote the body: the sender (the default), or the channel describing what happened (a call
   * record's "999 call offered on queue Emergency", an AML fix). Text the channel wrote is not the
   * sender's words: it is not triaged and staff do not see it as "From the public".
   */
  writtenBy?: 'sender' | 'channel';
  /** The force answered the contact on the channel itself (a call answered): that is the first response. */
  isAnswered?: boolean;
  /**
   * The provider's id names one message only (a chat client's id for what it sent): a different
   * message under an id already stored is not stored, as a retry is not. Other ids may hold
   * several messages (decision 0054).
   */
  isIdOfOneMessage?: boolean;
  /** The adapter's own details (to reply in place, and for the operator to read); stored as given. */
  meta?: { [key: string]: JsonValue };
};

/** A position a channel gave for the sender, in WGS 84 degrees. */
export type SharedPlace = {
  lat: number;
  lon: number;
  /** How far off it may be, when the channel says. */
  radiusMetres: number | null;
  /** `aml`: Advanced Mobile Location from a handset during a call; `shared`: the person shared their location. */
  source: 'aml' | 'shared';
  /** When the position was taken, ISO 8601, when the channel says. */
  at: string | null;
};

export type PublicReport = {
  /** A token the form was rendered with: posting the same form twice stores one report. */
  submissionId: string;
  whatHappened: string;
  where: string;
  when: string;
  name: string | null;
  /** How to reach the reporter: an email address, else a phone number; neither for an anonymous report. */
  email: string | null;
  phone?: string | null;
  /** The language the person wrote in (`en` or `cy`): a Welsh speaker is preferred for `cy`. */
  language?: string;
};

/** What storing one message or report did: the contact it went to, and whether it was stored before. */
export type IntakeResult = { contactId: ContactId; reference: string; isDuplicate: boolean };

const SUMMARY_LENGTH = 140;

/** One line of a contact's first text for queue views: whitespace folded, at most 140 characters. */
export function summarise(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_LENGTH ? flat : `${flat.slice(0, SUMMARY_LENGTH - 1)}…`;
}
