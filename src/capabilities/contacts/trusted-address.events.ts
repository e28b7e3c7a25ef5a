import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// A force admin adds or removes one of the force's trusted reporting addresses (decision 0166).
// The actor is the admin; the subject is the trusted address's own id, so the two events of one
// address read together. The address is in the event: it is an organisation's reporting mailbox,
// given to the force for that purpose, and who let which address be sent more mail is what an
// audit of the allowance has to answer.

const change = { address: z.string().describe('the email address, as acknowledgements are counted (normaliseEmail)') };

/** A force admin trusted an address with more portal acknowledgements a day. */
export const trustedAddressAdded = defineEvent({ type: 'trusted_address.added', subject: 'trusted_address', data: change });

/** A force admin stopped trusting an address: it is sent the allowance of any other again. */
export const trustedAddressRemoved = defineEvent({ type: 'trusted_address.removed', subject: 'trusted_address', data: change });

export const TRUSTED_ADDRESS_EVENTS = [trustedAddressAdded, trustedAddressRemoved] as const;
