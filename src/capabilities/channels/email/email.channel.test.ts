import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_POOLED_CONNECTIONS_MS, createTestApp, signIn, startSmtpServer, type TestApp } from '../../../../test/helpers.ts';
import type { Clock } from '../../../platform/clock.ts';
import { withForce } from '../../../platform/db/database.ts';
import { SecretBox } from '../../../platform/secrets.ts';
import type { AnyChannelAdapter } from '../channel.ts';
import { connectChannelAccount } from '../channel-accounts.service.ts';
import { emailChannel, parseAuthenticationResults, replySubject, type EmailChannelConfig } from './email.channel.ts';
import { findEmailAccount, topLevelHeaders, type EmailDeps } from './email.ingest.ts';
import { startSmtpListener } from './email.listener.ts';
import { pollMailbox, processImapMessage, startImapPoller } from './imap.poller.ts';

const MAILBOX = 'contact@demo.police.uk';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const GMAIL_ID = 'CAJ8yQm3x7vJ1rD0+q6eX2oK3a9b4T5wQz@mail.gmail.com';
const SAM = 'sam.taylor.example@gmail.com';

/** A fixture's bytes, with `__NAME__` placeholders filled in (latin1 keeps every byte as it is). */
function fixture(name: string, fill: Record<string, string> = {}): Buffer {
  let text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url)).toString('latin1');
  for (const [key, value] of Object.entries(fill)) text = text.replaceAll(`__${key}__`, value);
  return Buffer.from(text, 'latin1');
}

type SmtpFailure = Error & { responseCode?: number };

/** Delivers a mail to a listener the way another mail server would. */
async function deliver(port: number, raw: Buffer | string, to: string[] = [MAILBOX]) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope: { from: 'mta@example.net', to }, raw });
  } finally {
    transport.close();
  }
}

async function compose(port: number, mail: SendMailOptions) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ to: MAILBOX, ...mail });
  } finally {
    transport.close();
  }
}

describe('email channel', () => {
  let app: TestApp;
  let deps: EmailDeps;
  let listener: Awaited<ReturnType<typeof startSmtpListener>>;

  // Retries fall due on this clock: a test moves it past the backoff instead of waiting.
  let offsetMs = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { jobRetryBaseMs: 1, clock } });
    deps = { ...app.deps, secrets: new SecretBox(app.config.secretsKey) };
    listener = await startSmtpListener(deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await listener.close();
    await app.close();
  });

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

  it('connects the demo mailbox with the documented demo values', async () => {
    const account = await findEmailAccount(deps, 'Contact@Demo.Police.UK');
    expect(account?.config).toEqual({ address: MAILBOX, displayName: 'Demo Constabulary', smtpUrl: null, imap: null });
    expect(account?.forceId).toBe(app.demoForceId);
  });

  it('turns a real-world multipart/alternative mail into an email contact, keeping the raw mail', async () => {
    const raw = fixture('gmail-multipart-alternative.eml');
    const info = await deliver(listener.port, raw);
    expect(info.response).toMatch(/^250 /);

    const contact = await contactOfMessage(GMAIL_ID);
    expect(contact).toMatchObject({ channel: 'email', status: 'open', thread_key: GMAIL_ID });
    const [message] = await messagesWithId(GMAIL_ID);
    expect(message?.body).toContain('frame number WTU123456');
    expect(message?.body).not.toContain('<div');
    expect(message?.meta).toMatchObject({
      subject: 'Bike stolen from outside the library',
      authentication: [{ authservId: 'mx.google.com', spf: 'pass', dkim: 'pass', dmarc: 'pass' }],
    });
    const identity = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('identities').select(['kind', 'value']).where('person_id', '=', contact.person_id).execute(),
    );
    expect(identity).toEqual([{ kind: 'email', value: SAM }]);

    const handler = await signIn(app, 'handler@demo.police.uk');
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contact.id}`, headers: handler.headers });
    expect(detail.json<{ contact: { channel: string } }>().contact.channel).toBe('email');

    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').selectAll().where('channel', '=', 'email').where('status', '=', 'processed').orderBy('received_at').executeTakeFirstOrThrow(),
    );
    expect(stored).toMatchObject({ method: 'SMTP', url: `smtp://${MAILBOX}`, message_count: 1 });
    expect(stored.headers).toMatchObject({ 'x-bluelamp-rcpt': MAILBOX, 'x-bluelamp-mail-from': 'mta@example.net', subject: 'Bike stolen from outside the library' });
    expect(Buffer.from(stored.raw_body).equals(raw)).toBe(true);
  });

  it('records SPF/DKIM/DMARC from Authentication-Results (RFC 8601 example) without trusting them', async () => {
    await deliver(listener.port, fixture('rfc8601-comprehensive.eml'));
    const [message] = await messagesWithId('12345.abc@newyork.example.com');
    expect(message?.body).toBe('Hello! Goodbye!');
    expect(message?.meta).toMatchObject({
      authentication: [
        { authservId: 'example.com', dkim: 'pass', spf: null, dmarc: null },
        { authservId: 'example.net', dkim: 'pass', spf: null, dmarc: null },
      ],
    });
  });

  it('decodes charsets, quoted-printable and encoded-word names (Outlook style)', async () => {
    await deliver(listener.port, fixture('outlook-quoted-printable.eml'));
    const contact = await contactOfMessage('AM9PR01MB1234A1B2C3D4E5F6A7B8C9D0E1F2A@AM9PR01MB1234.eurprd01.prod.exchangelabs.com');
    expect(contact.summary).toBe('Someone threw a brick through the window of my café at about 2am – the alarm company has CCTV.');
    const person = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('people').selectAll().where('id', '=', contact.person_id).executeTakeFirstOrThrow(),
    );
    expect(person.display_name).toBe("Renée O'Brien");
  });

  it('stores one message however many times the same Message-ID is delivered at once', async () => {
    const mail = { from: 'Pat <pat@example.org>', subject: 'Noise', text: 'Loud party again', messageId: '<same-id-10x@example.org>' };
    const results = await Promise.all(Array.from({ length: 10 }, () => compose(listener.port, mail)));
    expect(results.every((info) => info.response.startsWith('250'))).toBe(true);
    expect(await messagesWithId('same-id-10x@example.org')).toHaveLength(1);
  });

  it('keeps only text from an HTML-only mail: no script, style or markup survives', async () => {
    await deliver(listener.port, fixture('html-only-script.eml'));
    const [message] = await messagesWithId('20260304080211.7f3a9c@mailer.example.com');
    expect(message?.body).toContain('A white van has been parked on Elm Road');
    expect(message?.body).toContain('Registration AB12 CDE.');
    for (const forbidden of ['<', 'script', 'alert', 'evil.example', 'document.cookie', 'color: red']) expect(message?.body).not.toContain(forbidden);
  });

  it('stores attachments with their SHA-256 and the type their bytes show, not the declared one', async () => {
    await deliver(listener.port, fixture('lying-attachment.eml'));
    const [message] = await messagesWithId('a1b2c3d4-0001-4e5f-9a8b-112233445566@example.net');
    const attachments = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('attachments').selectAll().where('message_id', '=', message?.id ?? '').execute(),
    );
    expect(attachments).toHaveLength(1);
    const [attachment] = attachments;
    const bytes = Buffer.from(attachment?.content ?? []);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(attachment).toMatchObject({
      filename: 'window.png',
      declared_type: 'image/png',
      detected_type: 'application/pdf',
      size_bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('quarantines a malformed mail (still 250, raw kept) and the next good mail still flows', async () => {
    const malformed = fixture('malformed.eml');
    const info = await deliver(listener.port, malformed);
    expect(info.response).toMatch(/^250 /);
    const rejected = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').selectAll().where('channel', '=', 'email').where('status', '=', 'rejected').execute(),
    );
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.error).toBe('the mail has no From address');
    expect(Buffer.from(rejected[0]?.raw_body ?? []).equals(malformed)).toBe(true);

    await compose(listener.port, { from: 'next@example.org', subject: 'After the bad one', text: 'Still working?', messageId: '<after-bad@example.org>' });
    expect(await messagesWithId('after-bad@example.org')).toHaveLength(1);
  });

  it('refuses unknown recipients with 550 and stores nothing for them', async () => {
    const refused = await deliver(listener.port, fixture('rfc8601-comprehensive.eml'), ['nobody@demo.police.uk']).catch((error: SmtpFailure) => error);
    expect(refused).toMatchObject({ responseCode: 550 });

    const mixed = await compose(listener.port, {
      envelope: { from: 'pat@example.org', to: ['nobody@elsewhere.example', MAILBOX] },
      from: 'pat@example.org',
      subject: 'Two recipients',
      text: 'One of them is real',
      messageId: '<mixed-rcpt@example.org>',
    });
    expect(mixed.accepted).toEqual([MAILBOX]);
    expect(mixed.rejected).toEqual(['nobody@elsewhere.example']);
    expect(await messagesWithId('mixed-rcpt@example.org')).toHaveLength(1);
  });

  it('ignores a recipient header forged inside the mail', async () => {
    await compose(listener.port, {
      from: 'forger@example.org',
      subject: 'Forged',
      text: 'Routing games',
      messageId: '<forged-rcpt@example.org>',
      headers: { 'X-Bluelamp-Rcpt': 'victim@other.police.uk' },
    });
    const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('inbound_requests').select('headers').where('channel', '=', 'email').orderBy('received_at', 'desc').executeTakeFirstOrThrow(),
    );
    expect(stored.headers['x-bluelamp-rcpt']).toBe(MAILBOX);
    expect(await messagesWithId('forged-rcpt@example.org')).toHaveLength(1);
  });

  it('refuses over-large mails during the SMTP transaction (552)', async () => {
    const small = await startSmtpListener(deps, { port: 0, host: '127.0.0.1', maxMessageBytes: 10_000 });
    try {
      const big = await compose(small.port, { from: 'big@example.org', subject: 'Big', text: 'x'.repeat(20_000), messageId: '<too-big@example.org>' }).catch(
        (error: SmtpFailure) => error,
      );
      expect(big).toMatchObject({ responseCode: 552 });
      expect(await messagesWithId('too-big@example.org')).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it.skipIf(!hasOpenssl)('offers STARTTLS when given a key and certificate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bl-smtp-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`], {
        stdio: 'ignore',
      });
      const tls = { key: readFileSync(`${dir}/key.pem`, 'utf8'), cert: readFileSync(`${dir}/cert.pem`, 'utf8') };
      const secure = await startSmtpListener(deps, { port: 0, host: '127.0.0.1', tls });
      try {
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port: secure.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
        const info = await transport.sendMail({ from: 'tls@example.org', to: MAILBOX, subject: 'Over TLS', text: 'Encrypted in transit', messageId: '<over-tls@example.org>' });
        transport.close();
        expect(info.response).toMatch(/^250 /);
        expect(await messagesWithId('over-tls@example.org')).toHaveLength(1);
        // The plain listener does not offer it.
        const plain = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, requireTLS: true });
        await expect(plain.sendMail({ from: 'tls@example.org', to: MAILBOX, text: 'x' })).rejects.toThrow(/STARTTLS/i);
        plain.close();
      } finally {
        await secure.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 451 when the mail cannot be stored, so the sending server retries', async () => {
    const failing = await startSmtpListener(
      {
        ...deps,
        clock: {
          now() {
            throw new Error('storage unavailable');
          },
        },
      },
      { port: 0, host: '127.0.0.1' },
    );
    try {
      const result = await compose(failing.port, { from: 'retry@example.org', subject: 'Retry', text: 'Try again', messageId: '<retry-451@example.org>' }).catch(
        (error: SmtpFailure) => error,
      );
      expect(result).toMatchObject({ responseCode: 451 });
    } finally {
      await failing.close();
    }
    // The sender's retry reaches a healthy listener and is stored.
    await compose(listener.port, { from: 'retry@example.org', subject: 'Retry', text: 'Try again', messageId: '<retry-451@example.org>' });
    expect(await messagesWithId('retry-451@example.org')).toHaveLength(1);
  });

  describe('replies and threading', () => {
    let outbox: Awaited<ReturnType<typeof startSmtpServer>>;
    beforeAll(async () => {
      outbox = await startSmtpServer();
    });
    afterAll(async () => {
      await outbox.close();
      // Back to the demo configuration for the tests that follow.
      await connectMailbox({ smtpUrl: null });
    });

    const reply = async (contactId: string, body: string) => {
      const handler = await signIn(app, 'handler@demo.police.uk');
      const response = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body } });
      expect(response.statusCode).toBe(201);
      // Retries fall due a few milliseconds apart (jobRetryBaseMs 1): run jobs, moving the clock past
      // each backoff, until the reply settles.
      for (let round = 0; ; round += 1) {
        await app.runner?.runDue();
        const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
        const messages = detail.json<{ messages: { id: string; body: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages;
        const sent = messages.find((m) => m.body === body);
        if (!sent) throw new Error('reply not on the thread');
        if ((sent.deliveryStatus !== 'queued' && sent.deliveryStatus !== 'retrying') || round > 100) return { sent, messages };
        offsetMs += 1000;
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

      expect(outbox.received).toHaveLength(1);
      const mail = outbox.received[0];
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
      const second = await simpleParser(outbox.received[1]?.raw ?? '');
      expect(second.inReplyTo).toBe('<work-reply@example.com>');
      expect(second.references).toEqual([`<${GMAIL_ID}>`, '<work-reply@example.com>']);
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

  describe('IMAP polling', () => {
    const imap = { host: 'imap.example.net', port: 993, secure: true, user: MAILBOX, password: 'imap-password', mailbox: 'INBOX', pollSeconds: 60 };
    const account = async () => {
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found) throw new Error('no demo mailbox');
      return found;
    };

    it('stores a fetched mail like the listener does, once however often it is fetched', async () => {
      const source = fixture('lying-attachment.eml', {}).toString('latin1').replace('a1b2c3d4-0001', 'imap-0001');
      const message = { uid: 7, source: Buffer.from(source, 'latin1'), size: source.length };
      const first = await processImapMessage(deps, await account(), imap, message);
      const again = await processImapMessage(deps, await account(), imap, message);
      expect(first.status).toBe('stored');
      expect(again).toMatchObject({ status: 'stored', results: [{ isDuplicate: true }] });
      expect(await messagesWithId('imap-0001-4e5f-9a8b-112233445566@example.net')).toHaveLength(1);
      const stored = await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('inbound_requests').selectAll().where('method', '=', 'IMAP').orderBy('received_at').executeTakeFirstOrThrow(),
      );
      expect(stored).toMatchObject({ url: 'imap://imap.example.net:993/INBOX;UID=7', status: 'processed' });
      expect(stored.headers['x-bluelamp-rcpt']).toBe(MAILBOX);
    });

    it('quarantines a mail it cannot parse, and one over the size limit, instead of failing', async () => {
      const malformed = await processImapMessage(deps, await account(), imap, { uid: 8, source: fixture('malformed.eml'), size: 134 });
      expect(malformed).toMatchObject({ status: 'quarantined', reason: 'the mail has no From address' });
      const big = fixture('rfc8601-comprehensive.eml');
      const oversized = await processImapMessage(deps, await account(), imap, { uid: 9, source: big, size: 50_000_000 });
      expect(oversized).toMatchObject({ status: 'quarantined' });
      expect(oversized.status === 'quarantined' && oversized.reason).toContain('over the');
    });
  });

  // A real IMAP server when Dovecot is installed (apt-get install dovecot-imapd) and we may run it.
  const dovecot = '/usr/sbin/dovecot';
  const canRunDovecot = existsSync(dovecot) && process.getuid?.() === 0;
  // CI installs Dovecot (.ci/run), so there a missing one fails the run instead of skipping the test.
  it.runIf(process.env.CI === 'true' && !canRunDovecot)('has-dovecot-to-test-imap-polling-in-ci', () => {
    expect.fail(`CI=true but Dovecot cannot run here: it needs ${dovecot} (apt-get install dovecot-imapd) and root`);
  });
  describe.skipIf(!canRunDovecot)('IMAP polling against Dovecot', () => {
    let dir: string;
    let server: ChildProcess;
    let port: number;
    const imapConfig = () => ({ host: '127.0.0.1', port, secure: false, user: MAILBOX, password: 'imap-pass', mailbox: 'INBOX', pollSeconds: 10 });

    beforeAll(async () => {
      port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const free = (probe.address() as AddressInfo).port;
          probe.close(() => resolve(free));
        });
      });
      dir = mkdtempSync(path.join(tmpdir(), 'bl-dovecot-'));
      // Dovecot's own users read the password file and write the mail.
      chmodSync(dir, 0o755);
      mkdirSync(path.join(dir, 'mail'));
      writeFileSync(path.join(dir, 'passwd'), `${MAILBOX}:{PLAIN}imap-pass\n`);
      writeFileSync(
        path.join(dir, 'dovecot.conf'),
        [
          `base_dir = ${dir}/run`,
          `state_dir = ${dir}/state`,
          'protocols = imap',
          'listen = 127.0.0.1',
          'ssl = no',
          'disable_plaintext_auth = no',
          'first_valid_uid = 1',
          `log_path = ${dir}/dovecot.log`,
          `mail_location = maildir:${dir}/mail/%u`,
          `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${dir}/passwd\n}`,
          `userdb {\n  driver = static\n  args = uid=dovecot gid=dovecot home=${dir}/mail/%u\n}`,
          `service imap-login {\n  inet_listener imap {\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
          '',
        ].join('\n'),
      );
      await new Promise<void>((resolve, reject) => {
        const chown = spawn('chown', ['-R', 'dovecot:dovecot', path.join(dir, 'mail')]);
        chown.on('exit', (status) => (status === 0 ? resolve() : reject(new Error('chown failed'))));
      });
      server = spawn(dovecot, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: 'ignore' });
      // Wait until it accepts connections.
      for (let i = 0; i < 100; i += 1) {
        const open = await new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
          socket.unref();
          setTimeout(() => socket.destroy(), 200);
        });
        if (open) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await connectMailbox({ imap: imapConfig() });
    }, 30_000);
    afterAll(async () => {
      await connectMailbox({ imap: null });
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    const append = async (sources: Buffer[]) => {
      const client = new ImapFlow({ ...imapConfig(), auth: { user: MAILBOX, pass: 'imap-pass' }, logger: false });
      client.on('error', () => undefined);
      await client.connect();
      for (const source of sources) await client.append('INBOX', source);
      await client.logout();
    };
    const unseen = async () => {
      const client = new ImapFlow({ ...imapConfig(), auth: { user: MAILBOX, pass: 'imap-pass' }, logger: false });
      client.on('error', () => undefined);
      await client.connect();
      const lock = await client.getMailboxLock('INBOX');
      const uids = (await client.search({ seen: false }, { uid: true })) || [];
      lock.release();
      await client.logout();
      return uids;
    };

    it('fetches unseen mail, stores it, quarantines what does not parse, and marks all of it seen', async () => {
      const good = Buffer.from(fixture('outlook-quoted-printable.eml').toString('latin1').replaceAll('AM9PR01MB1234A1B2', 'DOVECOT0001'), 'latin1');
      await append([good, fixture('malformed.eml'), good]);
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found?.config.imap) throw new Error('no IMAP configuration');
      const result = await pollMailbox(deps, found, found.config.imap);
      expect(result).toEqual({ processed: 3, quarantined: 1 });
      expect(await messagesWithId('DOVECOT0001C3D4E5F6A7B8C9D0E1F2A@AM9PR01MB1234.eurprd01.prod.exchangelabs.com')).toHaveLength(1);
      expect(await unseen()).toEqual([]);
    });

    it('runs on a schedule and keeps going after a failed login', async () => {
      await append([Buffer.from(fixture('rfc8601-comprehensive.eml').toString('latin1').replace('12345.abc', 'scheduled.1'), 'latin1')]);
      const poller = startImapPoller(deps, { tickMs: 50 });
      try {
        // A real poller against a real server: wait for its result (up to a minute on a busy machine).
        for (let i = 0; i < 1200 && (await messagesWithId('scheduled.1@newyork.example.com')).length === 0; i += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(await messagesWithId('scheduled.1@newyork.example.com')).toHaveLength(1);
      } finally {
        await poller.close();
      }
      // A wrong password is reported as an error, nothing more.
      const found = await findEmailAccount(deps, MAILBOX);
      if (!found?.config.imap) throw new Error('no IMAP configuration');
      await expect(pollMailbox(deps, found, { ...found.config.imap, password: 'wrong' })).rejects.toThrow();
    });
  });
});

describe('email adapter units', () => {
  it('reads Authentication-Results, ignoring comments and quoted strings (RFC 8601 examples)', () => {
    expect(parseAuthenticationResults('example.com; spf=pass smtp.mailfrom=example.net')).toEqual({
      authservId: 'example.com',
      spf: 'pass',
      dkim: null,
      dmarc: null,
    });
    expect(
      parseAuthenticationResults(
        'example.com; dkim=pass reason="good; signature=fail" header.i=@mail-router.example.net; dkim=fail reason="bad signature" header.i=@newyork.example.com',
      ),
    ).toMatchObject({ dkim: 'pass' });
    expect(
      parseAuthenticationResults(
        'mx.google.com; dkim=fail (bad; spf=pass) header.i=@x.example; spf=softfail (google.com: domain of x@x.example does not designate 1.2.3.4 as permitted sender) smtp.mailfrom=x@x.example; dmarc=fail (p=REJECT sp=REJECT dis=QUARANTINE) header.from=x.example',
      ),
    ).toEqual({ authservId: 'mx.google.com', dkim: 'fail', spf: 'softfail', dmarc: 'fail' });
    expect(parseAuthenticationResults('example.org 1; none')).toEqual({ authservId: 'example.org', spf: null, dkim: null, dmarc: null });
  });

  it('builds reply subjects with the reference once', () => {
    expect(replySubject('Bike stolen', 'DEMO-2026-000001')).toBe('Re: Bike stolen [DEMO-2026-000001]');
    expect(replySubject('RE: Bike stolen [DEMO-2026-000001]', 'DEMO-2026-000001')).toBe('RE: Bike stolen [DEMO-2026-000001]');
    expect(replySubject(null, 'DEMO-2026-000001')).toBe('Re: Your contact with us [DEMO-2026-000001]');
    expect(replySubject('Evil\r\nBcc: x@example.org', 'DEMO-2026-000001')).toBe('Re: Evil Bcc: x@example.org [DEMO-2026-000001]');
  });

  it('keeps the top-level headers but never a sender-supplied x-bluelamp-* header', () => {
    const headers = topLevelHeaders(Buffer.from('Subject: a\r\n folded\r\nX-Bluelamp-Rcpt: evil@example.org\r\nReceived: one\r\nReceived: two\r\n\r\nSubject: body'));
    expect(headers).toEqual({ subject: 'a folded', received: 'one, two' });
  });

  it('validates configuration: a real address (lower-cased) and an smtp(s) URL', () => {
    expect(emailChannel.configSchema.safeParse({ address: 'Contact@Force.Police.UK', displayName: 'Force' }).data).toMatchObject({
      address: 'contact@force.police.uk',
      smtpUrl: null,
    });
    expect(emailChannel.configSchema.safeParse({ address: 'not-an-address', displayName: 'Force' }).success).toBe(false);
    expect(emailChannel.configSchema.safeParse({ address: 'a@b.example', displayName: 'F', smtpUrl: 'http://x' }).success).toBe(false);
    expect(emailChannel.identifyAccount({ method: 'SMTP', url: '', path: '/', query: {}, headers: { 'x-bluelamp-rcpt': 'A@B.example' }, rawBody: Buffer.alloc(0), receivedAt: new Date() })).toBe(
      'a@b.example',
    );
  });
});
