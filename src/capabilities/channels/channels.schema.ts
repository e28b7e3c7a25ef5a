import { z } from 'zod';

// What the channel admin routes answer.

/** A connected provider account (its credentials are never returned). */
export const channelAccountView = z
  .object({
    id: z.string(),
    forceId: z.string(),
    channel: z.string(),
    label: z.string(),
    isEnabled: z.boolean(),
    isDemoStandIn: z.boolean().describe('still holds the demo force’s published credentials for the provider’s real address, so nothing sent through it leaves the machine'),
    version: z.number().int().describe('counts the times its settings and credentials were given: send it back to connect it again from these settings'),
  })
  .meta({ id: 'ChannelAccount' });

/** An account with the settings its connect form fills in when it is connected again: never a credential. */
export const channelAccountSettingsView = z
  .object({
    account: channelAccountView,
    settings: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]))
      .describe('by connect field name (dotted inside a nested object), every setting not of kind secret that the account holds'),
  })
  .meta({ id: 'ChannelAccountSettings' });

/** One setting of a channel's connect form: what it is, never a value of any account's. */
export const connectFieldView = z
  .object({
    name: z.string().describe('its place in the configuration, dotted inside a nested object: imap.host'),
    label: z.string(),
    hint: z.string().describe('what it is, and where to find it at the provider'),
    kind: z
      .enum(['text', 'secret', 'url', 'email', 'number', 'boolean', 'lines', 'choice'])
      .describe('secret: a credential, typed in a password input and never sent back; lines: a list, one a line'),
    isOptional: z.boolean().describe('left blank, it takes its default (or none); inside a nested object, when the object is given'),
    default: z.union([z.string(), z.number(), z.boolean()]).nullable().describe('what a blank optional setting takes, when that is a value'),
    options: z.array(z.object({ value: z.string(), label: z.string() })).nullable().describe('the values of a choice'),
    platforms: z.array(z.string()).nullable().describe('only for configurations whose platform is one of these; null for all'),
    identifiesAccount: z.boolean().describe('the account is known by it: connecting again with the same value replaces its credentials, with another connects another account'),
  })
  .meta({ id: 'ChannelConnectField' });

/** A channel a force can connect an account of, and its connect form. */
export const channelKindView = z
  .object({
    channel: z.string().describe('the name to connect it by (POST /api/channels)'),
    label: z.string(),
    providerName: z.string().nullable().describe('the provider as staff know it; null when Bluelamp itself is the other end'),
    fields: z.array(connectFieldView),
  })
  .meta({ id: 'ChannelKind' });

/** A raw request a provider sent, as stored for audit and replay. */
export const inboundRequestView = z
  .object({
    id: z.string(),
    channel: z.string(),
    receivedAt: z.string().describe('ISO 8601 date and time (UTC)'),
    status: z.enum(['processed', 'rejected', 'replayed']),
    error: z.string().nullable(),
    messageCount: z.number().int(),
  })
  .meta({ id: 'InboundRequest' });

/** What a replay stored. */
export const replayResult = z.object({
  stored: z.number().int().describe('new messages'),
  duplicates: z.number().int().describe('messages already stored from an earlier delivery'),
});

/** A polled mailbox's health, as the poller last stored it (decision 0175): never the server's own answer. */
export const mailboxHealthView = z
  .object({
    mailbox: z
      .object({
        lastSuccessAt: z.string().nullable().describe('ISO 8601 date and time (UTC) of the last successful poll, to the minute while it stays healthy; null if none yet'),
        failingSince: z.string().nullable().describe('ISO 8601 date and time (UTC) of the first of the current run of failed polls; null while the last poll succeeded'),
        failure: z
          .enum(['connect', 'auth', 'fetch', 'store', 'module_not_loaded'])
          .nullable()
          .describe('why the last poll failed: connect (the server could not be reached), auth (it refused the sign-in), fetch (reading the mailbox), store (storing a mail), module_not_loaded (Bluelamp could not load what reads mail: it needs a restart)'),
        isRestartNeeded: z.boolean().describe('the failure lasts until Bluelamp is restarted'),
        updatedAt: z.string().describe('ISO 8601 date and time (UTC) the poller last wrote this'),
        isFromBeforeUpgrade: z
          .boolean()
          .describe(
            'stored before Bluelamp noted which mailbox each health is of (decision 0188): the poll of the account’s mailbox under the settings as they still stand, shown until the next poll writes it again',
          ),
      })
      .nullable()
      .describe('the health of the mailbox the account’s settings name now; null when it is not polled (see notPolled) or no poll of it has been stored yet'),
    notPolled: z
      .enum(['no_mailbox_settings', 'account_disabled', 'settings_unreadable'])
      .nullable()
      .describe(
        'why no mailbox is polled for the account (decision 0181): no_mailbox_settings (it has no IMAP settings, or is not an email account), account_disabled (it is switched off), settings_unreadable (its stored settings no longer open: connect it again); null while its mailbox is polled',
      ),
  })
  .meta({ id: 'MailboxHealth' });
