import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { nextReference } from '../../platform/references.ts';
import { AppError, invalid as invalidField } from '../../platform/errors.ts';
import { routeNewContact } from './routing.service.ts';
import { triageCategories } from './routing.engine.ts';
import { summarise, type IntakeResult } from '../intake/intake.schema.ts';
import { contactCallbackRequested, moveEvent } from '../contacts/contact.events.ts';
import { contactRow, moveContact } from '../contacts/contact.machine.ts';
import { findContact, insertContacts, listOpenCallbackNumbers } from '../contacts/contacts.repository.ts';
import { findPersonIdentity, normaliseIdentity } from '../people/people.service.ts';
import { normalisePhone } from '../people/people.schema.ts';

/**
 * Creates a callback: a contact of its own on the `callback` channel, for the same person, in the
 * queue of the contact it came from, with its own clock for calling back. Its events go into
 * `events`, in order, for the caller to record with its own.
 */
export async function createCallbackContact(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { fromContactId: string; number: string; note: string | null; actor: Actor },
  events: NewEvent[],
): Promise<IntakeResult> {
  const source = await findContact(tx, forceId, input.fromContactId, ['id', 'reference', 'person_id', 'priority', 'score', 'queue_id', 'triage', 'rule_set_version', 'meta']);
  if (!source) throw new AppError('not_found', 'contact not found');
  const received = moveContact({ status: 'new' }, { type: 'receive' });
  const contactId = newId<ContactId>();
  const reference = await nextReference(tx, forceId, clock, 'contact');
  const body = `Call back ${input.number} about ${source.reference}.${input.note ? ` ${input.note}` : ''}`;
  await insertContacts(tx, [
    {
      id: contactId,
      force_id: forceId,
      reference,
      channel: 'callback',
      ...contactRow(received.to),
      person_id: source.person_id,
      summary: summarise(body),
      location: null,
      occurred_text: null,
      priority: source.priority,
      score: source.score,
      triage: source.triage ? JSON.stringify(source.triage) : null,
      rule_set_version: source.rule_set_version,
      received_at: clock.now(),
      thread_key: `callback:${contactId}`,
      // The note is for whoever makes the call; the person's language goes with them.
      meta: JSON.stringify({
        callbackFor: source.id,
        callbackForReference: source.reference,
        callbackNumber: input.number,
        callbackNote: input.note,
        sender: { kind: 'phone', value: input.number },
        ...(typeof source.meta.language === 'string' ? { language: source.meta.language } : {}),
      }),
    },
  ]);
  events.push(
    contactCallbackRequested.of({
      actor: input.actor,
      subjectId: source.id,
      data: { callbackContactId: contactId, callbackReference: reference, note: input.note },
    }),
  );
  events.push(
    moveEvent(received, {
      actor: input.actor,
      contactId,
      data: { reference, channel: 'callback', personId: source.person_id, callbackFor: source.id },
    }),
  );
  const categories = triageCategories(source.triage);
  events.push(
    ...(await routeNewContact(tx, forceId, clock, {
      contactId,
      reference,
      channel: 'callback',
      categories,
      priority: Number(source.priority),
      language: typeof source.meta.language === 'string' ? source.meta.language : null,
      ...(source.queue_id ? { queueId: source.queue_id } : {}),
    })),
  );
  return { contactId, reference, isDuplicate: false };
}

/** Callbacks the public may have open from one contact at once: enough to correct a number, not to fill a queue. */
export const MAX_OPEN_CALLBACKS_FROM_PUBLIC = 3;

/**
 * Whether a callback the public asked for on a contact (a caller's key press, a chat visitor's
 * number) is a new one to make: not while a callback to the same number from that contact is still
 * open (a visitor's widget sends the number with every message; a caller asks twice), nor once the
 * contact has `MAX_OPEN_CALLBACKS_FROM_PUBLIC` open. Each of those was a contact of its own, with
 * its own clock, in the queue: ten numbers in one chat were ten callbacks for a call handler.
 */
export async function isNewPublicCallback(tx: Tx, forceId: ForceId, input: { fromContactId: string; number: string }): Promise<boolean> {
  const numbers = (await listOpenCallbackNumbers(tx, forceId, input.fromContactId)).map((number) => normaliseIdentity('phone', number));
  return numbers.length < MAX_OPEN_CALLBACKS_FROM_PUBLIC && !numbers.includes(normaliseIdentity('phone', input.number));
}

/**
 * Records that a caller or chatter asked to be called back, as a new contact with its own clock.
 * The number defaults to the one the person contacted us from, else the one they gave us.
 */
export async function requestCallback(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { fromContactId: string; number?: string | undefined; note?: string | undefined; staffId: string },
): Promise<IntakeResult> {
  return withForce(deps.db, forceId, async (tx) => {
    const source = await findContact(tx, forceId, input.fromContactId, ['id', 'status', 'meta', 'person_id']);
    if (!source) throw new AppError('not_found', 'contact not found');
    const sender = source.meta.sender;
    // The number they contacted us from, else one they gave us (beside an email address, say).
    const known =
      (sender && typeof sender === 'object' && !Array.isArray(sender) && sender.kind === 'phone' && typeof sender.value === 'string' ? sender.value : null) ??
      (source.person_id ? await findPersonIdentity(tx, forceId, source.person_id, 'phone') : null);
    // A number that could be dialled, in E.164 (reserved drama ranges pass, as they do everywhere).
    const given = input.number ? normalisePhone(input.number) : null;
    if (input.number && !given) throw invalidField('body.number', 'must be a phone number');
    const number = given ?? known;
    if (!number) throw invalidField('body.number', 'give the number to call back: we have no phone number for this person');
    const events: NewEvent[] = [];
    const created = await createCallbackContact(tx, forceId, deps.clock, { fromContactId: source.id, number, note: input.note ?? null, actor: { type: 'staff', id: input.staffId } }, events);
    record(tx, forceId, deps.clock, ...events);
    return created;
  });
}
