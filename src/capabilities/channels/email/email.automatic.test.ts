import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailApp, compose, deliver, fixture, openMailApp } from '../../../../test/channels/email-kit.ts';
import { withForce } from '../../../platform/db/database.ts';
import { automaticReasonOf } from './email.automatic.ts';

// A bounce, an out-of-office or a mailing list's post is stored like any mail but never answered
// automatically (RFC 3834): an acknowledgement to it is backscatter, or one half of a mail loop.

describe('automatic mail is stored and never acknowledged', () => {
  let mail: MailApp;

  beforeAll(async () => {
    mail = await openMailApp();
  });
  afterAll(() => mail.close());

  /** The acknowledgements on a contact's thread and its `contact.acknowledged` events. */
  const acknowledgementsOf = (contactId: string) =>
    withForce(mail.app.database.db, mail.app.demoForceId, async (tx) => ({
      messages: await tx
        .selectFrom('messages')
        .select('meta')
        .where('contact_id', '=', contactId)
        .where('direction', '=', 'outbound')
        .execute(),
      events: await tx.selectFrom('events').select('id').where('subject_id', '=', contactId).where('type', '=', 'contact.acknowledged').execute(),
    }));

  it('does-not-acknowledge-a-bounce-an-out-of-office-or-a-list-post-but-acknowledges-a-person', async () => {
    // The bounce comes as bounces do, with an empty envelope sender (MAIL FROM:<>).
    await deliver(mail.port, fixture('e10-dsn-bounce.eml'), undefined, '');
    await deliver(mail.port, fixture('e11-ooo.eml'));
    await deliver(mail.port, fixture('e12-list.eml'));
    // Marked only by its empty envelope sender: no header says it is automatic.
    await deliver(mail.port, 'From: notice@example.net\r\nTo: contact@demo.police.uk\r\nSubject: Notice\r\nMessage-ID: <empty-envelope@example.net>\r\n\r\nA notice.\r\n', undefined, '');
    await compose(mail.port, { from: 'Pat <pat.person@example.org>', subject: 'Stolen bike', text: 'My bike was stolen.', messageId: '<a-person@example.org>' });
    await mail.app.runner?.runDue();

    const automatic = {
      '20260304100000.ABC123@mx.example.net': 'empty return path',
      'e11-ooo@example.com': 'Auto-Submitted: auto-replied',
      'e12-list@nhw.example.org': 'Precedence: list',
      'empty-envelope@example.net': 'empty return path',
    };
    for (const [providerId, reason] of Object.entries(automatic)) {
      const [message] = await mail.kit.messagesWithId(providerId);
      expect(message?.meta, providerId).toMatchObject({ isAutomatic: true, automaticReason: reason });
      const contact = await mail.kit.contactOfMessage(providerId);
      expect(contact.meta, providerId).toMatchObject({ isAutomatic: true });
      expect(await acknowledgementsOf(contact.id), providerId).toEqual({ messages: [], events: [] });
    }

    const [personal] = await mail.kit.messagesWithId('a-person@example.org');
    expect(personal?.meta).not.toHaveProperty('isAutomatic');
    const acknowledged = await acknowledgementsOf((await mail.kit.contactOfMessage('a-person@example.org')).id);
    expect(acknowledged.messages).toEqual([{ meta: { writtenBy: 'system', purpose: 'acknowledgement' } }]);
    expect(acknowledged.events).toHaveLength(1);
  });
});

describe('telling automatic mail from a person’s (RFC 3834 and common headers)', () => {
  const reasonOf = (headers: string[], envelopeFrom: string | undefined = 'someone@example.org', from = 'someone@example.org') =>
    automaticReasonOf(
      headers.map((line) => ({ key: line.slice(0, line.indexOf(':')).toLowerCase(), line })),
      envelopeFrom,
      from,
    );

  it('marks-each-kind-of-automatic-mail', () => {
    expect(reasonOf(['Auto-Submitted: auto-generated'])).toBe('Auto-Submitted: auto-generated');
    expect(reasonOf(['X-Autoreply: yes'])).toBe('X-Autoreply: yes');
    expect(reasonOf(['X-Autorespond: Out of office'])).toBe('X-Autorespond: Out of office');
    for (const value of ['bulk', 'junk', 'list', 'auto_reply']) expect(reasonOf([`Precedence: ${value}`])).toBe(`Precedence: ${value}`);
    expect(reasonOf(['X-MS-Exchange-Inbox-Rules-Loop: busy@example.com'])).toBe('X-MS-Exchange-Inbox-Rules-Loop: busy@example.com');
    expect(reasonOf(['X-Auto-Response-Suppress: DR, OOF, AutoReply'])).toBe('X-Auto-Response-Suppress: DR, OOF, AutoReply');
    expect(reasonOf(['List-Unsubscribe: <mailto:unsub@example.org>'])).toBe('List-Unsubscribe: <mailto:unsub@example.org>');
    expect(reasonOf(['Content-Type: multipart/report; report-type=disposition-notification; boundary=x'])).toMatch(/^Content-Type: multipart\/report/);
    expect(reasonOf(['Return-Path: <>'], undefined)).toBe('empty return path');
    expect(reasonOf([], '')).toBe('empty return path');
    expect(reasonOf([], 'bounces@example.net', 'MAILER-DAEMON@mx.example.net')).toBe('sent from MAILER-DAEMON');
    expect(reasonOf([], 'x@example.net', 'news-request@lists.example.net')).toBe('sent from news-request');
  });

  it('leaves-a-person’s-mail-unmarked', () => {
    expect(reasonOf(['Auto-Submitted: no', 'Precedence: first-class', 'X-Auto-Response-Suppress: None', 'Return-Path: <sam@example.org>'])).toBeNull();
    expect(reasonOf(['Content-Type: multipart/mixed; boundary=x'], undefined, 'daemon.fan@example.org')).toBeNull();
  });
});
