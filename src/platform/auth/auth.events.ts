import { defineEvent } from '../events/catalogue.ts';

// Sign-in's entry in the event catalogue.

/** A member of staff signed in. */
export const staffSignedIn = defineEvent({ type: 'staff.signed_in', subject: 'staff', data: {} });

/** Sign-in's entries, for the catalogue. */
export const AUTH_EVENTS = [staffSignedIn] as const;
