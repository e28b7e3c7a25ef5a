/** The kinds of handle a person has on a channel. */
export type IdentityKind = 'email' | 'phone' | 'social';
