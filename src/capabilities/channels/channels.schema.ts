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
  })
  .meta({ id: 'ChannelAccount' });

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
