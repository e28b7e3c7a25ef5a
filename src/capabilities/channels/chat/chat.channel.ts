import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { isId } from '../../../platform/ids.ts';
import { ChannelPayloadError, ChannelSendError, type ChannelAdapter, type ChannelMessage, type ConnectField } from '../channel.ts';
import { writtenText } from '../../../platform/visible-text.ts';
import { emailAddressField } from '../../../platform/email-address.ts';

/**
 * Live chat on the force's own website: a visitor opens a session through the widget, then talks
 * over a WebSocket (chat.routes.ts). Each message frame becomes a stored request of method `WS`
 * whose raw body is the frame's bytes, parsed here like any provider payload, so the request log
 * and replay work as for every other channel. There is no provider: nothing to pay, no signature.
 */

export const CHAT_CHANNEL = 'chat';
/** Set by the socket from the authenticated session (never from the client) on each stored frame. */
export const SESSION_HEADER = 'x-bluelamp-chat-session';
/** The query parameter of the socket URL that names the force's chat. */
export const WIDGET_KEY_PARAM = 'widgetKey';

/** A browser origin as `scheme://host[:port]`, compared exactly with the Origin header. */
const originSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  }, 'must be an origin like https://www.example.police.uk (no path)')
  .transform((value) => new URL(value).origin);

export const WIDGET_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{2,62}$/;

const configSchema = z.strictObject({
  /** Public: it only names the force's chat in the embed tag. It is the account key. */
  widgetKey: z.string().regex(WIDGET_KEY_PATTERN, 'must be 3-63 lower-case letters, digits or hyphens'),
  /** Sites allowed to embed the widget and open the socket; the portal's own origin always is. */
  allowedOrigins: z.array(originSchema).max(50).default([]),
  /** Shown to the visitor at the top of the conversation. */
  welcomeMessage: z.string().trim().min(1).max(1000),
});
export type ChatChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`. */
const connectFields: ConnectField[] = [
  { name: 'widgetKey', label: 'Widget key', kind: 'text', isOptional: false, identifiesAccount: true, hint: 'Names the force’s chat in the tag a website embeds it with: 3 to 63 lower-case letters, digits or hyphens, such as force-chat. It is public.' },
  { name: 'allowedOrigins', label: 'Websites that may embed the chat', kind: 'lines', isOptional: true, hint: 'One a line, as scheme and host, such as https://www.force.police.uk. The portal’s own site always may.' },
  { name: 'welcomeMessage', label: 'Welcome message', kind: 'text', isOptional: false, hint: 'Shown to the visitor at the top of the conversation. Say what to do if someone is in danger.' },
];

const noNul = (text: string) => !text.includes('\u0000');

/** A message frame from the widget (or any client speaking the protocol). */
const messageFrameSchema = z.strictObject({
  type: z.literal('message'),
  // Printable ASCII only: it becomes part of the stored provider id.
  clientId: z.string().min(1).max(100).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  text: writtenText(z.string(), { blank: 'must hold text, not only spaces or invisible characters', tooLong: 'must be 5000 characters or fewer' }, 5000).refine(
    noNul,
    'must not contain NUL characters',
  ),
  name: z.string().trim().min(1).max(200).refine(noNul, 'must not contain NUL characters').optional(),
  email: emailAddressField().optional(),
  /** The visitor asks to be called back on this number; it becomes a callback with its own clock. */
  callbackNumber: z
    .string()
    .trim()
    .max(40)
    .refine((value) => parsePhoneNumberFromString(value, 'GB')?.isPossible() === true, 'must be a phone number')
    .optional(),
});

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`).join('; ');
}

export const chatChannel: ChannelAdapter<ChatChannelConfig> = {
  name: CHAT_CHANNEL,
  label: 'Live chat',
  configSchema,
  connectFields,
  demoAccounts: [
    {
      label: 'Demo website chat',
      config: {
        widgetKey: 'demo-chat',
        allowedOrigins: [],
        welcomeMessage: 'Hello. You are chatting with Demo Constabulary. If someone is in immediate danger, call 999.',
      },
    },
  ],
  identifyAccount(request) {
    return request.query[WIDGET_KEY_PARAM] ?? null;
  },
  accountKeyOf(config) {
    return config.widgetKey;
  },
  verify() {
    // The socket stores a frame only after the visitor proved the session's token in its first
    // frame; a replayed frame comes from our own log. There is no provider signature to check.
    return { ok: true };
  },
  parse(request) {
    const sessionId = request.headers[SESSION_HEADER] ?? '';
    if (!isId(sessionId)) throw new ChannelPayloadError('the frame names no chat session');
    let json: unknown;
    try {
      json = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      throw new ChannelPayloadError('the frame is not valid JSON');
    }
    const parsed = messageFrameSchema.safeParse(json);
    if (!parsed.success) throw new ChannelPayloadError(issues(parsed.error));
    const frame = parsed.data;
    const message: ChannelMessage = {
      // The client's id for the message: a resend after a reconnect stores it once.
      providerMessageId: `${sessionId}:${frame.clientId}`,
      // The widget shows the conversation by it: a second text under it would never be seen.
      isIdOfOneMessage: true,
      threadKey: `chat:${sessionId}`,
      // A chat visitor is known only by the session. An email they give is kept for the operator
      // (linking it to a person on other channels is the operator's decision), never trusted.
      sender: { kind: 'social', value: `chat:${sessionId}`, displayName: frame.name ?? null },
      body: frame.text,
      sentAt: null,
      ...(frame.callbackNumber ? { callbackNumber: parsePhoneNumberFromString(frame.callbackNumber, 'GB')?.number ?? frame.callbackNumber } : {}),
      meta: { chatSessionId: sessionId, visitorEmail: frame.email ?? null },
    };
    return { messages: [message], statuses: [] };
  },
  async send(message) {
    if (message.recipient.kind !== 'social' || !message.recipient.value.startsWith('chat:')) {
      throw new ChannelSendError('the contact has no chat session to reply to', true);
    }
    // Nothing leaves the building here. Recording the message as sent publishes `queue.changed`
    // (bluelamp_live, delivered by PostgreSQL to every API process on commit); the process holding
    // the visitor's socket hears it, reads the reply from the database and pushes it. A visitor
    // who is offline gets it with the history when they reconnect.
    return { providerMessageId: message.idempotencyKey };
  },
};
