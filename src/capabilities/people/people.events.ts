import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// People's entries in the event catalogue.

/** A person the force did not know contacted it (`identityKind`: the handle they used). */
export const personCreated = defineEvent({ type: 'person.created', subject: 'person', data: { identityKind: z.string() } });

/** A known person gave another way to reach them (a phone number beside their email address). */
export const personIdentityAdded = defineEvent({ type: 'person.identity_added', subject: 'person', data: { identityKind: z.string() } });

/** A member of staff recorded that two person records are the same human. */
export const personLinked = defineEvent({
  type: 'person.linked',
  subject: 'person',
  data: { linkId: z.string(), otherPersonId: z.string(), reason: z.string() },
});

/** A link between two person records was undone. */
export const personUnlinked = defineEvent({
  type: 'person.unlinked',
  subject: 'person',
  data: { linkId: z.string(), otherPersonId: z.string(), reason: z.string() },
});

/** A member of staff looked at a person's record. */
export const personViewed = defineEvent({ type: 'person.viewed', subject: 'person', data: {} });

/** People's entries, for the catalogue. */
export const PEOPLE_EVENTS = [personCreated, personIdentityAdded, personLinked, personUnlinked, personViewed] as const;
