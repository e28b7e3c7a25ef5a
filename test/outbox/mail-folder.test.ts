import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor, reportedCase } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { createFolderMailer, mailFileName } from '../../src/platform/mail/folder-mailer.ts';

// Outside production with no SMTP server, email can be written to a folder instead of held
// (decision 0131): someone trying the product reads the one-time code a victim is sent and signs in
// with it, as the victim would from their inbox.

describe('email written to a folder', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'bluelamp-mail-'));
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { MAIL_FOLDER: folder } });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const mailTo = (address: string) =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.eml'))
      .map((name) => readFileSync(path.join(folder, name), 'utf8'))
      .filter((text) => text.includes(`To: ${address}`));

  it('writes a victim’s one-time code to the folder, and the code from the file signs them in to their case', async () => {
    const email = `folder.${randomUUID().slice(0, 8)}@example.org`;
    const handler = await signIn(app, 'handler@demo.police.uk');
    const theCase = await reportedCase(app, handler, email);

    const visitor = new Visitor(app, '10.77.0.1');
    await visitor.open('/check');
    await visitor.post('/check', { reference: theCase.reference });
    await app.runner?.runDue();

    const codeMail = mailTo(email).find((text) => text.includes(theCase.reference) && /is \d{6}\./.test(text));
    expect(codeMail, 'the code email in the folder').toBeDefined();
    expect(codeMail).toMatch(/^Subject: .+/m);
    expect(codeMail).toMatch(/^Message-ID: <.+>$/m);
    const code = /is (\d{6})\./.exec(codeMail ?? '')?.[1] ?? '';

    // Sent, not held: the outbox says where it went as it would for an SMTP server.
    const sent = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('status').where('case_id', '=', theCase.id).where('purpose', '=', 'portal.access_code').executeTakeFirstOrThrow(),
    );
    expect(['sent', 'delivered']).toContain(sent.status);

    await visitor.open('/check/code');
    const signedIn = await visitor.post('/check/code', { code });
    expect(signedIn.headers.location).toBe('/check/case');
  });

  it('writes a message sent again (after a crash) to the same file, whole', async () => {
    const mailer = createFolderMailer(path.join(folder, 'again'));
    const mail = { from: 'Demo Constabulary <no-reply@demo.police.uk>', to: 'again@example.org', subject: 'Your report', text: 'First.', messageId: '<outbox-1/x@demo.police.uk>' };
    await mailer.send(mail);
    await mailer.send({ ...mail, text: 'First, sent again.' });
    const files = readdirSync(path.join(folder, 'again'));
    expect(files).toEqual([mailFileName(mail.messageId)]);
    expect(readFileSync(path.join(folder, 'again', files[0] ?? ''), 'utf8')).toContain('First, sent again.');
    // A Message-ID never names a path outside the folder.
    expect(mailFileName('<../../etc/passwd>')).toBe('.._.._etc_passwd.eml');
  });
});
