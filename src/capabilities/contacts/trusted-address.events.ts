import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { acknowledgeHeldJob } from './held-acknowledgements.events.ts';

// A force admin adds or removes one of the force's trusted reporting addresses (decision 0166).
// The actor is the admin; the subject is the trusted address's own id, so the two events of one
// address read together, and the address itself is in that row while it is trusted. The event
// names its domain only: the log is kept for ever and cannot be edited, so it holds no address
// (decision 0077), and a "reporting mailbox" is often a person's own (a school's safeguarding
// lead), or one typed by mistake. The domain says which organisation was trusted.

const change = { domain: z.string().describe('the domain of the email address, in ASCII (normaliseEmail); never the address itself') };

/**
 * A force admin trusted an address with more portal acknowledgements a day. Its reports held back
 * in the last 24 hours are acknowledged now, up to the trusted allowance (decision 0171): the
 * address is usually added because its centre said it got no references.
 */
export const trustedAddressAdded = defineEvent({ type: 'trusted_address.added', subject: 'trusted_address', data: change, jobs: (e) => [acknowledgeHeldJob(e.subject.id)] });

/** A force admin stopped trusting an address: it is sent the allowance of any other again. */
export const trustedAddressRemoved = defineEvent({ type: 'trusted_address.removed', subject: 'trusted_address', data: change });

export const TRUSTED_ADDRESS_EVENTS = [trustedAddressAdded, trustedAddressRemoved] as const;
