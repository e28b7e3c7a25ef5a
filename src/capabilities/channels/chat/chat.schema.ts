import { z } from 'zod';

// What the chat answers: its two JSON routes and the frames its socket sends the visitor.

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** A new chat session; the visitor's token authenticates the socket and the history. */
export const chatSessionView = z
  .object({ sessionId: z.string(), visitorToken: z.string().describe('keep it in the page; send it as a Bearer token or in the auth frame') })
  .meta({ id: 'ChatSession' });

/** One message of the conversation, from the visitor (with their own id) or from the force. */
export const chatHistoryItem = z
  .discriminatedUnion('from', [
    z.object({ from: z.literal('visitor'), clientId: z.string(), body: z.string(), at: isoTime.describe('when the visitor sent it, where believed; else when it reached us (UTC)') }),
    z.object({ from: z.literal('force'), id: z.string(), body: z.string(), at: isoTime }),
  ])
  .meta({ id: 'ChatHistoryItem' });

export const chatHistoryView = z.object({ welcomeMessage: z.string(), messages: z.array(chatHistoryItem) }).meta({ id: 'ChatHistory' });

/** Every frame the chat socket sends the visitor. */
export const chatServerFrame = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('history'), welcomeMessage: z.string(), messages: z.array(chatHistoryItem) }),
    z.object({
      type: z.literal('ack'),
      clientId: z.string(),
      reference: z.string().describe("the contact's reference"),
      at: isoTime.describe("when the message was sent, as the history gives it: the visitor's time where believed, else when it reached us (UTC)"),
    }),
    z.object({ type: z.literal('reply'), id: z.string(), body: z.string(), at: isoTime }),
    z.object({ type: z.literal('error'), reason: z.string(), clientId: z.string().optional() }),
  ])
  .meta({ id: 'ChatServerFrame' });
export type ChatServerFrame = z.infer<typeof chatServerFrame>;
