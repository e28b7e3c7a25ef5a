import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startSmtpServer } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { type MailApp, compose, deliver, openMailApp } from './email-kit.ts';

// A machine's answer on a closed contact's thread (an out-of-office quoting its reference) is kept
// on the thread but does not re-open the contact or start its clocks; nor, on an open contact, does
// it start a clock for an answer nobody owes.

// A reviewer's Outlook out-of-office, answering our reply about a closed contact.
const outOfOffice = (reference: string, from = 'Sam Taylor <sam@example.org>', messageId = 'e19-ooo@example.org') =>
  [
    `From: ${from}`,
    'To: contact@demo.police.uk',
    `Subject: Automatic reply: Re: Bike stolen [${reference}]`,
    `Message-ID: <${messageId}>`,
    'Auto-Submitted: auto-replied',
    'X-Auto-Response-Suppress: All',
    'Content-Type: text/plain',
    '',
    'I am away until 20 March and will reply when I return.',
    '',
  ].join('\r\n');

describe('an automatic reply on a closed contact', () => {
  let mail: MailApp;
  let outbox: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    mail = await openMailApp();
    // The force's replies go out through a stand-in mail server: a reply sent is the first response.
    outbox = await startSmtpServer();
    await mail.kit.connectMailbox({ smtpUrl: outbox.url });
  });
  afterAll(async () => {
    await outbox.close();
    await mail.close();
  });

  it('does-not-reopen-a-closed-contact-for-an-out-of-office', async () => {
    await compose(mail.port, { from: 'Sam Taylor <sam@example.org>', subject: 'Bike stolen', text: 'My bike was stolen from the station.', messageId: '<e19-first@example.org>' });
    const contact = await mail.kit.contactOfMessage('e19-first@example.org');
    const handler = await signIn(mail.app, 'handler@demo.police.uk');
    const closed = await mail.app.inject({ method: 'POST', url: `/api/contacts/${contact.id}/close`, headers: handler.headers, payload: { outcome: 'advice_given' } });
    expect(closed.statusCode).toBeLessThan(300);
    const closedAt = (await mail.kit.contactOfMessage('e19-first@example.org')).closed_at;

    await deliver(mail.port, outOfOffice(contact.reference));
    const [reply] = await mail.kit.messagesWithId('e19-ooo@example.org');
    expect(reply?.contact_id).toBe(contact.id);
    const after = await mail.kit.contactOfMessage('e19-first@example.org');
    expect(after.status).toBe('closed');
    expect(after.closed_at).toEqual(closedAt);
    const running = await withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
      tx.selectFrom('sla_clocks').select('kind').where('contact_id', '=', contact.id).where('stopped_at', 'is', null).execute(),
    );
    expect(running).toEqual([]);
  });

  it('starts-no-next-response-clock-for-an-out-of-office-on-an-open-contact', async () => {
    await compose(mail.port, { from: 'Pat Jones <pat@example.org>', subject: 'Shed broken into', text: 'Someone broke into my shed.', messageId: '<e19-open@example.org>' });
    const contact = await mail.kit.contactOfMessage('e19-open@example.org');
    const handler = await signIn(mail.app, 'handler@demo.police.uk');
    const replied = await mail.app.inject({ method: 'POST', url: `/api/contacts/${contact.id}/replies`, headers: handler.headers, payload: { body: 'Is anything missing?' } });
    expect(replied.statusCode).toBe(201);
    await mail.app.runner?.runDue();
    const runningKinds = () =>
      withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
        tx.selectFrom('sla_clocks').select('kind').where('contact_id', '=', contact.id).where('stopped_at', 'is', null).execute(),
      ).then((rows) => rows.map((row) => row.kind));

    await deliver(mail.port, outOfOffice(contact.reference, 'Pat Jones <pat@example.org>', 'e19-open-ooo@example.org'));
    expect((await mail.kit.messagesWithId('e19-open-ooo@example.org'))[0]?.contact_id).toBe(contact.id);
    expect(await runningKinds()).not.toContain('next_response');
    // The person's own answer is one the force owes a response to.
    await compose(mail.port, { from: 'Pat Jones <pat@example.org>', subject: `Re: Shed broken into [${contact.reference}]`, text: 'My bike is gone.', messageId: '<e19-open-answer@example.org>' });
    expect(await runningKinds()).toContain('next_response');
  });
});
