import type { NotifyClient } from 'notifications-node-client';
import { z } from 'zod';
import { describeNetworkFailure } from '../../../platform/http/network-failure.ts';
import { isOutboundRefusal } from '../../../platform/http/outbound-guard.ts';
import { loadOnFirstUse } from '../../../platform/load-on-first-use.ts';
import { OutboxSendError } from './sender.ts';

// GOV.UK Notify through its official client. The client builds the requests and signs them (a
// JWT per request, issued by the service and signed with the key's secret); its HTTP calls are
// made through the fetch we are given, which is the outbound guard's: an admin-set API base URL
// is checked, and the connection pinned, like every other request to a provider.

/** What the client's rest client is called with (its request options, axios-style). */
type RestRequest = { method: string; url: string; data?: unknown; headers?: Record<string, string> };

/** Notify's answer to a request it refused, with its status. */
class NotifyHttpError extends Error {
  override name = 'NotifyHttpError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`Notify answered ${status}`);
  }
}

function restClientOver(fetcher: typeof fetch) {
  return async (request: RestRequest): Promise<{ status: number; data: unknown }> => {
    const response = await fetcher(request.url, {
      method: request.method.toUpperCase(),
      headers: { ...request.headers, 'content-type': 'application/json', accept: 'application/json' },
      ...(request.data === undefined ? {} : { body: JSON.stringify(request.data) }),
    });
    const data: unknown = await response.json().catch(() => null);
    if (!response.ok) throw new NotifyHttpError(response.status, data);
    return { status: response.status, data };
  };
}

const errorBody = z.object({ errors: z.array(z.object({ error: z.string(), message: z.string() })) });
const created = z.object({ id: z.string().min(1) });

/**
 * Turns what the client threw into our send error: Notify's 4xx (a validation error, a number or
 * address it will not send to, a refused key) will be refused again, so it is permanent and the
 * message falls back to its next channel; 429, 5xx and network errors are retried. A service
 * never reached is said so in plain words (`address not found`), not with the socket's message.
 * An API base URL the outbound guard refuses (an internal address) is refused every time until an
 * admin changes it: permanent, so the message moves on instead of retrying for hours.
 */
function toSendError(error: unknown): OutboxSendError {
  if (isOutboundRefusal(error)) return new OutboxSendError(`refused to connect to GOV.UK Notify: the API base URL ${error.message}`.slice(0, 500), true);
  if (error instanceof NotifyHttpError) {
    const parsed = errorBody.safeParse(error.body);
    const detail = parsed.success ? parsed.data.errors.map((e) => `${e.error}: ${e.message}`).join('; ') : '';
    const isPermanent = error.status >= 400 && error.status < 500 && error.status !== 429;
    return new OutboxSendError(`Notify answered ${error.status}${detail ? `: ${detail}` : ''}`.slice(0, 500), isPermanent);
  }
  const unreached = describeNetworkFailure(error) ?? (error instanceof Error ? error.message : String(error));
  return new OutboxSendError(`GOV.UK Notify could not be reached: ${unreached}`.slice(0, 500), false);
}

/** A Notify service reached with one API key. */
export type NotifyAccountAccess = { apiKey: string; apiBaseUrl: string };

/**
 * The client (with axios, which it loads) comes with the first message a process sends through
 * Notify: a force without Notify never loads it (decision 0148).
 */
const loadNotifyClient = loadOnFirstUse('the GOV.UK Notify client (notifications-node-client)', () => import('notifications-node-client'));

/**
 * A client for the account. Loaded before any request is made, and its failure to load is not
 * one of Notify's: it is thrown as it is (the send is tried again), never called unreachable.
 */
async function clientFor(account: NotifyAccountAccess, fetcher: typeof fetch): Promise<NotifyClient> {
  const { NotifyClient } = await loadNotifyClient();
  const client = new NotifyClient(account.apiBaseUrl.replace(/\/$/, ''), account.apiKey);
  // The client calls its rest client as a function with axios-style options and reads `data`
  // from the answer: ours has that shape, over the guarded fetch (see above), so axios's own
  // HTTP stack (which would bypass the guard) is never used.
  client.setClient(restClientOver(fetcher) as unknown as Parameters<NotifyClient['setClient']>[0]);
  return client;
}

/** Notify's id for a notification it accepted; a 2xx without one fails for good rather than risk sending twice. */
function notificationId(answer: { data: unknown }): string {
  const parsed = created.safeParse(answer.data);
  if (!parsed.success) throw new OutboxSendError('Notify answered without a notification id', true);
  return parsed.data.id;
}

/** Sends a text message from a template whose content is `((body))`; returns Notify's notification id. */
export async function sendNotifySms(
  account: NotifyAccountAccess,
  text: { templateId: string; to: string; body: string; reference: string; smsSenderId: string | null },
  fetcher: typeof fetch,
): Promise<string> {
  const client = await clientFor(account, fetcher);
  const answer = await client
    .sendSms(text.templateId, text.to, {
      personalisation: { body: text.body },
      reference: text.reference,
      ...(text.smsSenderId ? { smsSenderId: text.smsSenderId } : {}),
    })
    .catch((error: unknown) => {
      throw toSendError(error);
    });
  return notificationId(answer);
}

/** Sends an email from a template whose subject is `((subject))` and content `((body))`; returns Notify's notification id. */
export async function sendNotifyEmail(
  account: NotifyAccountAccess,
  mail: { templateId: string; to: string; subject: string; body: string; reference: string; replyToId: string | null },
  fetcher: typeof fetch,
): Promise<string> {
  const client = await clientFor(account, fetcher);
  const answer = await client
    .sendEmail(mail.templateId, mail.to, {
      personalisation: { subject: mail.subject, body: mail.body },
      reference: mail.reference,
      ...(mail.replyToId ? { emailReplyToId: mail.replyToId } : {}),
    })
    .catch((error: unknown) => {
      throw toSendError(error);
    });
  return notificationId(answer);
}

const listed = z.object({ notifications: z.array(z.object({ id: z.string().min(1), reference: z.string().nullable().optional(), created_at: z.string() })) });

/**
 * Notify's id for a notification of this type it created with our reference at or after `since`,
 * or null when it has none (decision 0163): Notify creates a notification when it accepts the
 * request, so none means a send cut short never reached it. Its first page (the newest) is enough:
 * a reference is one message's.
 */
export async function findNotifyNotification(
  account: NotifyAccountAccess,
  sought: { type: 'sms' | 'email'; reference: string; since: Date },
  fetcher: typeof fetch,
): Promise<string | null> {
  const client = await clientFor(account, fetcher);
  const answer = await client.getNotifications(sought.type, undefined, sought.reference).catch((error: unknown) => {
    throw toSendError(error);
  });
  const parsed = listed.safeParse(answer.data);
  if (!parsed.success) throw new OutboxSendError('Notify listed its notifications in a form we do not read', false);
  const found = parsed.data.notifications.find((n) => n.reference === sought.reference && Date.parse(n.created_at) >= sought.since.getTime());
  return found?.id ?? null;
}
