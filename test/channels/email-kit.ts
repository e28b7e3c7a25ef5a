import { readFileSync } from 'node:fs';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { createTestApp, type TestApp } from '../helpers.ts';
import { startSmtpListener } from '../../src/capabilities/channels/email/email.listener.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { emailChannel, type EmailChannelConfig } from '../../src/capabilities/channels/email/email.channel.ts';
import type { EmailDeps } from '../../src/capabilities/channels/email/email.ingest.ts';

// What the email channel's tests share: the demo mailbox, its real-world sample mails, sending
// mail the way another server would, and looking up what was stored.

export const MAILBOX = 'contact@demo.police.uk';
export const GMAIL_ID = 'CAJ8yQm3x7vJ1rD0+q6eX2oK3a9b4T5wQz@mail.gmail.com';
export const SAM = 'sam.taylor.example@gmail.com';

const FIXTURES = new URL('../../src/capabilities/channels/email/fixtures/', import.meta.url);

/** A fixture's bytes, with `__NAME__` placeholders filled in (latin1 keeps every byte as it is). */
export function fixture(name: string, fill: Record<string, string> = {}): Buffer {
  let text = readFileSync(new URL(name, FIXTURES)).toString('latin1');
  for (const [key, value] of Object.entries(fill)) text = text.replaceAll(`__${key}__`, value);
  return Buffer.from(text, 'latin1');
}

/** Delivers a mail to a listener the way another mail server would (a bounce's envelope sender is ''). */
export async function deliver(port: number, raw: Buffer | string, to: string[] = [MAILBOX], envelopeFrom = 'mta@example.net') {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope: { from: envelopeFrom, to }, raw });
  } finally {
    transport.close();
  }
}

/** Writes and sends a mail to the demo mailbox the way a mail client would. */
export async function compose(port: number, mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ to: MAILBOX, ...mail });
  } finally {
    transport.close();
  }
}

/** A clock a test moves past a retry's backoff instead of waiting for it. */
export function movableClock(): { clock: Clock; advance(ms: number): void } {
  let offsetMs = 0;
  return {
    clock: { now: () => new Date(Date.now() + offsetMs) },
    advance(ms) {
      offsetMs += ms;
    },
  };
}

/** Looks-ups and set-up on one test app's demo mailbox. */
export function emailKit(app: TestApp) {
  const deps: EmailDeps = { ...app.deps, secrets: new SecretBox(app.config.secretsKey) };
  const messagesWithId = (providerId: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages')
        .select(['id', 'contact_id', 'body', 'meta', 'direction'])
        .where('channel', '=', 'email')
        .where('provider_message_id', '=', providerId)
        .execute(),
    );
  const contactOfMessage = async (providerId: string) => {
    const [message] = await messagesWithId(providerId);
    if (!message) throw new Error(`no message ${providerId}`);
    return withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('contacts').selectAll().where('id', '=', message.contact_id).executeTakeFirstOrThrow(),
    );
  };
  const connectMailbox = (config: Partial<EmailChannelConfig>) =>
    connectChannelAccount(deps, app.demoForceId, emailChannel as AnyChannelAdapter, {
      label: 'Demo mailbox',
      config: { address: MAILBOX, displayName: 'Demo Constabulary', ...config },
      actor: { type: 'system', id: null },
    });
  return { deps, messagesWithId, contactOfMessage, connectMailbox };
}

export type MailApp = { app: TestApp; kit: ReturnType<typeof emailKit>; port: number; close(): Promise<void> };

/** A test app with its email kit and the SMTP listener on a free port; `close` stops both. */
export async function openMailApp(options?: Parameters<typeof createTestApp>[0]): Promise<MailApp> {
  const app = await createTestApp(options);
  const kit = emailKit(app);
  const listener = await startSmtpListener(kit.deps, { port: 0, host: '127.0.0.1' });
  return {
    app,
    kit,
    port: listener.port,
    close: async () => {
      await listener.close();
      await app.close();
    },
  };
}
