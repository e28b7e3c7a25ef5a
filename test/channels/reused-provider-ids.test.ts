import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withForce } from '../../src/platform/db/database.ts';
import { type MailApp, deliver, openMailApp } from './email-kit.ts';

// A provider id reused for a different message (decision 0054): a retry is stored once, a
// different message under the same id is stored as well, on every channel.

// Two real web-form mails: the form's mailer gives every submission the same Message-ID.
const formMail = (name: string, text: string) =>
  [
    'From: Web Form <noreply@forms.example.org>',
    'To: contact@demo.police.uk',
    'Subject: Contact form submission',
    'Message-ID: <contactform@forms.example.org>',
    'Content-Type: text/plain',
    '',
    `Name: ${name}`,
    `Message: ${text}`,
    '',
  ].join('\r\n');
const ALICE = formMail('Alice', 'my car window was smashed on Oak Road.');
const BOB = formMail('Bob', 'my neighbour is threatening to kill me, he has a gun.');

describe('a provider id reused for a different message', () => {
  let mail: MailApp;

  beforeAll(async () => {
    mail = await openMailApp();
  });
  afterAll(() => mail.close());

  const post = (payload: unknown) =>
    mail.app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: 'Bearer demo-api-token', 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const apiMessages = (providerId: string) =>
    withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['body', 'contact_id']).where('channel', '=', 'api').where('provider_message_id', '=', providerId).orderBy('created_at').execute(),
    );

  it('keeps-an-api-message-whose-id-was-used-for-a-different-one', async () => {
    const first = { messageId: 'p-1', from: { email: 'first@example.org' }, body: 'My bike was stolen' };
    const second = { messageId: 'p-1', from: { email: 'second@example.org' }, body: 'There is a man with a knife outside' };
    expect((await post(first)).statusCode).toBe(202);
    expect((await post(second)).statusCode).toBe(202);
    expect((await apiMessages('p-1')).map((m) => m.body)).toEqual([first.body, second.body]);
    // Retries of either, and the same words from someone else, are told apart by sender and body.
    expect((await post(first)).statusCode).toBe(202);
    expect((await post(second)).statusCode).toBe(202);
    expect(await apiMessages('p-1')).toHaveLength(2);
    expect((await post({ ...first, from: { email: 'third@example.org' } })).statusCode).toBe(202);
    expect(await apiMessages('p-1')).toHaveLength(3);
  });

  it('keeps-a-web-form-mail-whose-message-id-was-used-for-another-mail', async () => {
    await deliver(mail.port, ALICE);
    await deliver(mail.port, BOB);
    // The mailer's retries of each are stored once.
    await deliver(mail.port, ALICE);
    await deliver(mail.port, BOB);
    const stored = await mail.kit.messagesWithId('contactform@forms.example.org');
    expect(stored.map((m) => m.body).sort()).toEqual([expect.stringContaining('Name: Alice'), expect.stringContaining('he has a gun')]);
    // Each submission is a report of its own, not a follow-up of the other.
    const contacts = await withForce(mail.app.database.db, mail.app.demoForceId, (tx) =>
      tx.selectFrom('contacts').select(['id', 'summary', 'priority']).where('id', 'in', stored.map((m) => m.contact_id)).execute(),
    );
    expect(contacts).toHaveLength(2);
    const gun = contacts.find((c) => c.summary.includes('he has a gun'));
    const car = contacts.find((c) => c.summary.includes('car window'));
    expect(gun?.priority).toBeLessThan(car?.priority ?? 0);
  });
});
