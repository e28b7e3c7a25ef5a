import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, fixture, openMailApp, type MailApp } from '../channels/email-kit.ts';
import { startSmtpServer } from '../helpers.ts';
import { createForceWithCase, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

// A victim's email address that does not work is found out by the bounce, which comes back to the
// force's mailbox: the journey update then goes by the victim's next channel instead of being
// counted as sent. The bounces are real ones (channels/email/fixtures/README.md) with the
// Message-ID of our mail in the returned message, as a bounce of our mail would carry it.

const RETURNED_ID = '<78f44d2b2ea5763064d21edacd9d8d18@example.net>';

/** Exchange's bounce of the mail with this Message-ID (without angle brackets). */
const exchangeBounceOf = (messageId: string) => Buffer.from(fixture('sisimai-exchange2007-04.eml').toString('latin1').replaceAll(RETURNED_ID, `<${messageId}>`), 'latin1');

describe('a journey email that bounces', () => {
  let mail: MailApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mail = await openMailApp({ env: { SMTP_URL: smtp.url } });
  });
  afterAll(async () => {
    await mail.close();
    await smtp.close();
  });

  const row = (id: string) => outboxRow(mail.app, mail.app.demoForceId, id);
  const eventTypes = async (id: string) => (await outboxEvents(mail.app, mail.app.demoForceId, id)).map((event) => event.type);

  it('goes-by-the-victims-next-channel-saying-what-the-mail-server-said-once-however-often-the-bounce-comes', async () => {
    const id = await queueWithDelivery(mail.app, mail.app.demoForceId, [
      { channel: 'email', recipient: 'neko-nyaan@example.jp', subject: 'About your report', body: 'An officer will call you.' },
      { channel: 'sms', recipient: '+447700900555', subject: '', body: 'An officer will call you.' },
    ]);
    await mail.app.runner?.runDue();
    expect(await row(id)).toMatchObject({ status: 'sent', channel: 'email', provider_message_id: `${id}@bluelamp.outbox` });
    expect(smtp.received.map((m) => m.to)).toContainEqual(['neko-nyaan@example.jp']);

    // The bounce comes as bounces do, with an empty envelope sender.
    await deliver(mail.port, exchangeBounceOf(`${id}@bluelamp.outbox`), undefined, '');
    const fellBack = await row(id);
    expect(fellBack).toMatchObject({ channel: 'sms', recipient: '+447700900555', fallbacks: 1, provider_message_id: null });
    expect(fellBack.last_error).toBe('email: bounced by the mail server for neko-nyaan@example.jp: 550 5.7.1 RESOLVER.RST.AuthRequired; authentication required');
    const afterBounce = await eventTypes(id);
    expect(afterBounce.slice(0, 2)).toEqual(['outbox.sent', 'outbox.fell_back']);

    // A mail server that delivers the same bounce again (or a second copy) changes nothing more.
    await deliver(mail.port, exchangeBounceOf(`${id}@bluelamp.outbox`), undefined, '');
    expect(await row(id)).toMatchObject({ channel: 'sms', fallbacks: 1 });
    expect(await eventTypes(id)).toEqual(afterBounce);
  });

  it('with-no-other-channel-fails-with-the-reason-and-a-bounce-of-another-send-of-it-changes-nothing', async () => {
    const id = await queueWithDelivery(mail.app, mail.app.demoForceId, [
      { channel: 'email', recipient: 'neko-nyaan@example.jp', subject: 'About your report', body: 'Your case has an update.' },
    ]);
    await mail.app.runner?.runDue();
    // A bounce naming the mail as a second send would have been (another channel count): not this send.
    await deliver(mail.port, exchangeBounceOf(`${id}.1@bluelamp.outbox`), undefined, '');
    expect((await row(id)).status).toBe('sent');

    await deliver(mail.port, exchangeBounceOf(`${id}@bluelamp.outbox`), undefined, '');
    expect(await row(id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('550 5.7.1') });
    expect(await eventTypes(id)).toContain('outbox.failed');
  });

  it('to-one-forces-mailbox-never-fails-another-forces-mail', async () => {
    const other = await createForceWithCase(mail.app);
    const id = await queueWithDelivery(mail.app, other.forceId, [
      { channel: 'email', recipient: 'neko-nyaan@example.jp', subject: 'About your report', body: 'Thank you.' },
    ]);
    await mail.app.runner?.runDue();
    expect((await outboxRow(mail.app, other.forceId, id)).status).toBe('sent');
    // The bounce reaches the demo force's mailbox, naming the other force's mail.
    await deliver(mail.port, exchangeBounceOf(`${id}@bluelamp.outbox`), undefined, '');
    expect(await outboxRow(mail.app, other.forceId, id)).toMatchObject({ status: 'sent', channel: 'email', fallbacks: 0 });
  });
});
