import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../../../test/helpers.ts';
import { GMAIL_ID, MAILBOX, SAM, compose, deliver, emailKit, fixture } from '../../../../test/channels/email-kit.ts';
import { withForce } from '../../../platform/db/database.ts';
import { emailChannel, parseAuthenticationResults, replySubject } from './email.channel.ts';
import { declareLegacyCharsets } from './email.charset.ts';
import { stripHtmlCheaply } from './email.html-text.ts';
import { findEmailAccount, topLevelHeaders, type EmailDeps } from './email.ingest.ts';
import { startSmtpListener } from './email.listener.ts';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

type SmtpFailure = Error & { responseCode?: number };

describe('email channel', () => {
  let app: TestApp;
  let kit: ReturnType<typeof emailKit>;
  let deps: EmailDeps;
  let listener: Awaited<ReturnType<typeof startSmtpListener>>;

  beforeAll(async () => {
    app = await createTestApp();
    kit = emailKit(app);
    deps = kit.deps;
    listener = await startSmtpListener(deps, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await listener.close();
    await app.close();
  });

  const messagesWithId = (providerId: string) => kit.messagesWithId(providerId);
  const contactOfMessage = (providerId: string) => kit.contactOfMessage(providerId);

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

  it('reads-8-bit-text-with-no-charset-that-is-not-utf-8-as-windows-1252-and-keeps-utf-8', async () => {
    await deliver(listener.port, fixture('e18-8bit-no-charset.eml'));
    const [legacy] = await messagesWithId('e18@example.org');
    expect(legacy?.body).toBe("J'ai perdu mon porte-monnaie au café, 50£.");
    expect(legacy?.meta).toMatchObject({ subject: 'café' });

    // In a multipart mail, quoted-printable, beside a part that says its charset.
    const multipart = [
      'From: old@example.org',
      'To: contact@demo.police.uk',
      'Subject: parts',
      'Message-ID: <legacy-parts@example.org>',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Na=EFve caf=E9',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Déjà vu',
      '--b1--',
      '',
    ].join('\r\n');
    await deliver(listener.port, Buffer.from(multipart, 'utf8'));
    expect((await messagesWithId('legacy-parts@example.org'))[0]?.body).toBe('Naïve café\nDéjà vu');

    // UTF-8 with no charset is kept as it is.
    await deliver(listener.port, Buffer.from('From: new@example.org\r\nTo: contact@demo.police.uk\r\nSubject: café\r\nMessage-ID: <utf8-no-charset@example.org>\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nAu café, 50£ 🙂\r\n', 'utf8'));
    const [modern] = await messagesWithId('utf8-no-charset@example.org');
    expect(modern?.body).toBe('Au café, 50£ 🙂');
    expect(modern?.meta).toMatchObject({ subject: 'café' });
  });

  it('stores one message however many times the same Message-ID is delivered at once', async () => {
    const mail = { from: 'Pat <pat@example.org>', subject: 'Noise', text: 'Loud party again', messageId: '<same-id-10x@example.org>' };
    const results = await Promise.all(Array.from({ length: 10 }, () => compose(listener.port, mail)));
    expect(results.every((info) => info.response.startsWith('250'))).toBe(true);
    expect(await messagesWithId('same-id-10x@example.org')).toHaveLength(1);
  });

  it('stores-once-a-mail-without-message-id-that-came-through-two-relays', async () => {
    const bodies = () =>
      withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('messages').select(['body', 'provider_message_id']).where('channel', '=', 'email').where('body', 'like', 'There is a man shouting%').execute(),
      );
    await deliver(listener.port, fixture('e13a-no-msgid.eml'));
    await deliver(listener.port, fixture('e13b-no-msgid-other-relay.eml'));
    expect(await bodies()).toHaveLength(1);
    // Another mail from the same sender, without a Message-ID either, is a message of its own.
    await deliver(listener.port, fixture('e13b-no-msgid-other-relay.eml').toString('latin1').replace('number 4.', 'number 6.'));
    expect(await bodies()).toHaveLength(2);
  });

  it('keeps only text from an HTML-only mail: no script, style or markup survives', async () => {
    await deliver(listener.port, fixture('html-only-script.eml'));
    const [message] = await messagesWithId('20260304080211.7f3a9c@mailer.example.com');
    expect(message?.body).toContain('A white van has been parked on Elm Road');
    expect(message?.body).toContain('Registration AB12 CDE.');
    for (const forbidden of ['<', 'script', 'alert', 'evil.example', 'document.cookie', 'color: red']) expect(message?.body).not.toContain(forbidden);
  });

  it('keeps-the-start-of-a-huge-html-mail-as-text-saying-the-rest-is-in-the-original', async () => {
    // 1.6 MB of paragraphs: html-to-text would hold the event loop for most of a second.
    const paragraphs = Array.from({ length: 40_000 }, (_, i) => `<p>Line ${i} &amp; more</p>`).join('');
    const html = `<html><head><style>p { color: red }</style></head><body><script>alert(1)</script>${paragraphs}</body></html>`;
    await compose(listener.port, { from: 'big.html@example.org', subject: 'Long page', html, messageId: '<huge-html@example.org>' });
    const [message] = await messagesWithId('huge-html@example.org');
    expect(message?.body.startsWith('Line 0 & more\n\nLine 1 & more')).toBe(true);
    expect(message?.body.endsWith('[This email is longer than shown here: the rest is in the original mail.]')).toBe(true);
    expect(message?.body.length).toBeLessThanOrEqual(100_000);
    for (const forbidden of ['<', 'color: red', 'alert']) expect(message?.body).not.toContain(forbidden);
    expect(message?.meta).toMatchObject({ htmlNotConverted: true });
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
      tx.selectFrom('inbound_requests').select('headers').where('channel', '=', 'email').orderBy('received_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
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

describe('text from HTML too long to convert', () => {
  it('drops-markup-script-style-and-comments-and-decodes-entities', () => {
    const html = '<html><head><title>T</title><style>b{}</style></head><body><!-- hidden --><p>Caf&eacute; &amp; bar&#8217;s <b>door</b></p><div>2 &lt; 3&nbsp;&#x1F600;</div><SCRIPT type="x">evil()</SCRIPT><table><tr><td>a</td><td>b</td></tr></table></body></html>';
    expect(stripHtmlCheaply(html, 10_000)).toEqual({ text: 'Caf&eacute; & bar’s door\n\n2 < 3 😀\n\na b', isCut: false });
  });

  it('cuts-at-the-limit-and-an-unclosed-script-or-comment-hides-the-rest', () => {
    expect(stripHtmlCheaply('<p>one</p><p>two</p>', 10)).toEqual({ text: 'one', isCut: true });
    expect(stripHtmlCheaply('<p>seen</p><script>'.repeat(50_000), 2_000_000).text).toBe('seen');
    expect(stripHtmlCheaply('<p>seen</p><!--<p>not</p>', 100).text).toBe('seen');
  });
});

describe('declaring the legacy charset', () => {
  it('declares-windows-1252-on-a-part-without-headers-and-leaves-utf-8-alone', () => {
    const mail = (part: string) => Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n${part}\r\n--b--\r\n`, 'latin1');
    expect(declareLegacyCharsets(mail('\r\ncaf\xe9'))?.toString('latin1')).toBe(
      'Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\ncaf\xe9\r\n--b--\r\n',
    );
    expect(declareLegacyCharsets(mail('Content-Type: text/plain\r\n\r\ncaf\xc3\xa9'))).toBeNull();
    expect(declareLegacyCharsets(mail('Content-Type: text/plain; charset=iso-8859-1\r\n\r\ncaf\xe9'))).toBeNull();
    expect(declareLegacyCharsets(mail('Content-Type: text/plain; format=flowed\r\nContent-Transfer-Encoding: base64\r\n\r\nY2Fm6Q=='))?.toString('latin1')).toContain(
      'Content-Type: text/plain; format=flowed; charset=windows-1252\r\nContent-Transfer-Encoding: base64',
    );
  });
});
