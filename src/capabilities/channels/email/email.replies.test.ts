import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_POOLED_CONNECTIONS_MS, createTestApp, mailText, signIn, startSmtpServer, type TestApp } from '../../../../test/helpers.ts';
import { GMAIL_ID, MAILBOX, SAM, compose, deliver, emailKit, fixture, movableClock } from '../../../../test/channels/email-kit.ts';
import type { EmailChannelConfig } from './email.channel.ts';
import { startSmtpListener } from './email.listener.ts';

describe('email replies and threading', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let listener: Awaited<ReturnType<typeof startSmtpListener>>;
  let outbox: Awaited<ReturnType<typeof startSmtpServer>>;
  // Retries fall due on this clock: a test moves it past the backoff instead of waiting.
  const time = movableClock();

  beforeAll(async () => {
    app = await createTestApp({ overrides: { jobRetryBaseMs: 1, clock: time.clock } });
    kit = emailKit(app);
    listener = await startSmtpListener(kit.deps, { port: 0, host: '127.0.0.1' });
    outbox = await startSmtpServer();
    // The person's first mails, which the replies answer.
    await deliver(listener.port, fixture('gmail-multipart-alternative.eml'));
    await deliver(listener.port, fixture('rfc8601-comprehensive.eml'));
  });
  afterAll(async () => {
    await outbox.close();
    await listener.close();
    await app.close();
  });

  const messagesWithId = (providerId: string) => kit.messagesWithId(providerId);
  // The mail server's messages other than the automatic acknowledgements of new contacts.
  const replyMails = () => outbox.received.filter((mail) => !mailText(mail.raw).includes('We have received your report'));
  const contactOfMessage = (providerId: string) => kit.contactOfMessage(providerId);
  const connectMailbox = (config: Partial<EmailChannelConfig>) => kit.connectMailbox(config);

  const reply = async (contactId: string, body: string, quoteMessageId?: string) => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const response = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body, ...(quoteMessageId ? { quoteMessageId } : {}) } });
    expect(response.statusCode).toBe(201);
    // Retries fall due a few milliseconds apart (jobRetryBaseMs 1): run jobs, moving the clock past
    // each backoff, until the reply settles.
    for (let round = 0; ; round += 1) {
      await app.runner?.runDue();
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      const messages = detail.json<{ messages: { id: string; body: string; deliveryStatus: string | null; deliveryError: string | null; quotes: unknown }[] }>().messages;
      const sent = messages.find((m) => m.body === body);
      if (!sent) throw new Error('reply not on the thread');
      if ((sent.deliveryStatus !== 'queued' && sent.deliveryStatus !== 'retrying') || round > 100) return { sent, messages };
      time.advance(1000);
    }
  };

  it('without an outgoing server, the demo mailbox shows the reply as failed, saying why', async () => {
    const contact = await contactOfMessage('12345.abc@newyork.example.com');
    const { sent } = await reply(contact.id, 'Thank you for the sample.');
    expect(sent.deliveryStatus).toBe('failed');
    expect(sent.deliveryError).toContain('smtpUrl');
  });

  it('sends the operator reply threaded, and the reply to it joins the same contact (end to end)', async () => {
    await connectMailbox({ smtpUrl: outbox.url });
    const contact = await contactOfMessage(GMAIL_ID);
    const { sent } = await reply(contact.id, 'Thank you, we have logged your report.');
    expect(sent.deliveryStatus).toBe('sent');

    expect(replyMails()).toHaveLength(1);
    const mail = replyMails()[0];
    expect(mail?.from).toBe(MAILBOX);
    expect(mail?.to).toEqual([SAM]);
    const parsed = await simpleParser(mail?.raw ?? '');
    const outboundId = `${sent.id}@bluelamp.outbox`;
    expect(parsed.messageId).toBe(`<${outboundId}>`);
    expect(parsed.inReplyTo).toBe(`<${GMAIL_ID}>`);
    expect(parsed.references).toBe(`<${GMAIL_ID}>`);
    expect(parsed.subject).toBe(`Re: Bike stolen from outside the library [${contact.reference}]`);
    expect(parsed.from?.value).toEqual([{ name: 'Demo Constabulary', address: MAILBOX }]);
    expect(parsed.text?.trim()).toBe('Thank you, we have logged your report.');
    const [outbound] = await messagesWithId(outboundId);
    expect(outbound).toMatchObject({ direction: 'outbound', contact_id: contact.id });

    // The person answers in their mail client: In-Reply-To our Message-ID.
    await deliver(listener.port, fixture('reply-to-outbound.eml', { OUTBOUND_ID: outboundId, REFERENCE: contact.reference }));
    expect((await contactOfMessage('CAJ8yQm0reply1XyZ@mail.gmail.com')).id).toBe(contact.id);

    // In-Reply-To alone is enough, even from another address and with no References.
    await compose(listener.port, {
      from: 'Sam Taylor <sam@work.example.com>',
      subject: 'Re: from my work account',
      text: 'Sending from work.',
      messageId: '<work-reply@example.com>',
      inReplyTo: `<${outboundId}>`,
    });
    expect((await contactOfMessage('work-reply@example.com')).id).toBe(contact.id);

    // A later reply keeps the thread: In-Reply-To the person's newest mail, References from the root.
    await reply(contact.id, 'An officer will call you.');
    const second = await simpleParser(replyMails()[1]?.raw ?? '');
    expect(second.inReplyTo).toBe('<work-reply@example.com>');
    expect(second.references).toEqual([`<${GMAIL_ID}>`, '<work-reply@example.com>']);

    // Staff answering the first mail in particular (decision 0110): In-Reply-To names it, not the newest.
    const [first] = await messagesWithId(GMAIL_ID);
    const { messages } = await reply(contact.id, 'About your first mail:', first?.id);
    expect(messages.at(-1)).toMatchObject({ body: 'About your first mail:', deliveryStatus: 'sent', quotes: { providerMessageId: GMAIL_ID, messageId: first?.id, direction: 'inbound' } });
    const third = await simpleParser(replyMails()[2]?.raw ?? '');
    expect(third.inReplyTo).toBe(`<${GMAIL_ID}>`);
    expect(third.references).toBe(`<${GMAIL_ID}>`);
  });

  it('shows a sent reply as failed when its bounce comes back, with what the mail server said', async () => {
    await connectMailbox({ smtpUrl: outbox.url });
    const contact = await contactOfMessage(GMAIL_ID);
    const { sent } = await reply(contact.id, 'Could you send us a photo of the bike?');
    expect(sent.deliveryStatus).toBe('sent');
    // A real bounce (fixtures/README.md) of this reply, with its Message-ID, sent as bounces are.
    const bounce = fixture('sisimai-exchange2007-04.eml').toString('latin1').replaceAll('<78f44d2b2ea5763064d21edacd9d8d18@example.net>', `<${sent.id}@bluelamp.outbox>`);
    await deliver(listener.port, Buffer.from(bounce, 'latin1'), undefined, '');
    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contact.id}`, headers: handler.headers });
    const bounced = detail.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === sent.id);
    expect(bounced).toMatchObject({ deliveryStatus: 'failed', deliveryError: expect.stringContaining('bounced by the mail server for neko-nyaan@example.jp: 550 5.7.1') });
  });

  it('joins a new mail that quotes the reference in its subject, but only from the same person', async () => {
    const contact = await contactOfMessage(GMAIL_ID);
    await deliver(listener.port, fixture('reply-subject-reference.eml', { REFERENCE: contact.reference }));
    const joined = await contactOfMessage('CAJ8yQm9fresh2AbC@mail.gmail.com');
    expect(joined.id).toBe(contact.id);

    await compose(listener.port, {
      from: 'stranger@example.org',
      subject: `About ${contact.reference}`,
      text: 'I know something about this.',
      messageId: '<stranger-ref@example.org>',
    });
    expect((await contactOfMessage('stranger-ref@example.org')).id).not.toBe(contact.id);
  });

  it('fails a reply at once on a permanent SMTP refusal (5xx) and retries a temporary one (4xx)', async () => {
    let code = 550;
    let attempts = 0;
    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: CLOSE_POOLED_CONNECTIONS_MS,
      onRcptTo(_address, _session, callback) {
        attempts += 1;
        callback(Object.assign(new Error(code === 550 ? 'No such user' : 'Mailbox busy'), { responseCode: code }));
      },
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const { port } = refusing.server.address() as AddressInfo;
    // Earlier sends (the automatic acknowledgements of new contacts) settle first: only this
    // test's replies reach the refusing server.
    for (let round = 0; round < 20; round += 1) {
      await app.runner?.runDue();
      time.advance(60_000);
    }
    try {
      await connectMailbox({ smtpUrl: `smtp://127.0.0.1:${port}` });
      const contact = await contactOfMessage(GMAIL_ID);
      const permanent = await reply(contact.id, 'Permanent failure please');
      expect(permanent.sent.deliveryStatus).toBe('failed');
      expect(permanent.sent.deliveryError).toContain('550');
      expect(attempts).toBe(1);

      code = 451;
      attempts = 0;
      const temporary = await reply(contact.id, 'Temporary failure please');
      expect(attempts).toBeGreaterThan(1);
      expect(temporary.sent.deliveryStatus).toBe('failed');
      expect(temporary.sent.deliveryError).toContain('451');
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
