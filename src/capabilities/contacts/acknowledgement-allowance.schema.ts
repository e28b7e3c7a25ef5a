import { z } from 'zod';

// How many portal acknowledgements one email address is sent in a day (decision 0162), as each
// force sets it, and the force's trusted reporting addresses, which are sent more (decision 0166).

/**
 * Any address: a force that sets nothing keeps decision 0162's five. Nobody proves the address a
 * portal report gives, so without a bound one visitor could have the force send a stranger an
 * email for every report they posted; a report past it is stored and shown with its reference all
 * the same, only its email is not sent.
 */
export const ACKNOWLEDGEMENT_ALLOWANCE = { default: 5, min: 1, max: 500 } as const;
/** A trusted reporting address: bounded too, so a trusted mailbox taken over is not a mail cannon. */
export const TRUSTED_ACKNOWLEDGEMENT_ALLOWANCE = { default: 200, min: 1, max: 2000 } as const;

/** The force settings' fields for the two allowances (`POST /api/force/settings`). */
export const acknowledgementAllowanceSettings = {
  acknowledgementsPerAddress: z
    .number()
    .int()
    .min(ACKNOWLEDGEMENT_ALLOWANCE.min)
    .max(ACKNOWLEDGEMENT_ALLOWANCE.max)
    .optional()
    .describe(`the most portal acknowledgements one email address is sent in 24 hours (default ${ACKNOWLEDGEMENT_ALLOWANCE.default})`),
  trustedAcknowledgementsPerAddress: z
    .number()
    .int()
    .min(TRUSTED_ACKNOWLEDGEMENT_ALLOWANCE.min)
    .max(TRUSTED_ACKNOWLEDGEMENT_ALLOWANCE.max)
    .optional()
    .describe(
      `the most one of the force's trusted reporting addresses is sent in 24 hours (default ${TRUSTED_ACKNOWLEDGEMENT_ALLOWANCE.default}; never fewer than any other address)`,
    ),
};

/** The allowances a force's acknowledgements are sent under now, its settings or the defaults. */
export const acknowledgementAllowanceView = z
  .object({
    perAddress: z.number().int().describe('Acknowledgements one email address is sent in 24 hours'),
    trustedPerAddress: z.number().int().describe('Acknowledgements a trusted reporting address is sent in 24 hours'),
  })
  .meta({ id: 'AcknowledgementAllowance' });
export type AcknowledgementAllowance = z.infer<typeof acknowledgementAllowanceView>;

/** One trusted reporting address. */
export const trustedAddressView = z
  .object({
    id: z.string(),
    address: z.string().describe('The email address, in lower case with its domain in ASCII, as acknowledgements are counted'),
    addedAt: z.string().describe('When it was added, ISO 8601 (UTC)'),
    addedBy: z.object({ id: z.string(), name: z.string() }).describe('The force admin who added it'),
  })
  .meta({ id: 'TrustedAddress' });
export type TrustedAddressView = z.infer<typeof trustedAddressView>;

/** The most a page holds. */
export const TRUSTED_ADDRESS_PAGE_MAX = 200;

export const trustedAddressQuery = z.object({
  limit: z.coerce.number().int().min(1).max(TRUSTED_ADDRESS_PAGE_MAX).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const trustedAddressPage = z.object({
  addresses: z.array(trustedAddressView).describe('Newest first'),
  total: z.number().int().describe('How many the force trusts'),
  allowance: acknowledgementAllowanceView,
});

/** An address to trust, or to trust no longer: written any way, checked and normalised by the server. */
export const trustedAddressBody = z.strictObject({
  address: z.string().trim().min(1, 'must be an email address').max(320, 'must be an email address').meta({ title: 'Email address' }),
});

/** What adding answers: the address, and whether this request added it (false: it was trusted already). */
export const trustedAddressAdded = z.object({ address: trustedAddressView, added: z.boolean() });

/** What removing answers. */
export const trustedAddressRemoved = z.object({ address: z.string(), removedAt: z.string().describe('ISO 8601 (UTC)') });
