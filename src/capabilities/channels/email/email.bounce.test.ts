import { describe, expect, it } from 'vitest';
import { fixture } from '../../../../test/channels/email-kit.ts';
import { parseEmail } from './email.channel.ts';

// Real bounces (fixtures/README.md) read by the channel's own parser: a report that a mail of ours
// could not be delivered becomes a failed delivery status for the Message-ID we gave that mail.

const OURS = '3f2b6c1e-8d4a-4c7e-9b1f-0a2d3e4f5a6b@bluelamp.outbox';
const OURS_AGAIN = '3f2b6c1e-8d4a-4c7e-9b1f-0a2d3e4f5a6b.1@bluelamp.outbox';

function parse(raw: Buffer | string) {
  const rawBody = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
  return parseEmail({ method: 'SMTP', url: 'smtp://', path: '', query: {}, headers: {}, rawBody, receivedAt: new Date('2026-03-04T10:00:00Z') });
}

/** A sample with its returned message's Message-ID (and any copy of it) replaced by one of ours. */
function withOurId(name: string, theirs: string, ours: string): Buffer {
  const text = fixture(name).toString('latin1');
  expect(text).toContain(theirs);
  return Buffer.from(text.replaceAll(theirs, ours), 'latin1');
}

describe('a bounce of mail we sent', () => {
  it('from-exchange-fails-the-mail-whose-message-id-it-returns-with-what-the-server-said', async () => {
    const parsed = await parse(withOurId('sisimai-exchange2007-04.eml', '<78f44d2b2ea5763064d21edacd9d8d18@example.net>', `<${OURS}>`));
    expect(parsed.statuses).toEqual([
      { providerMessageId: OURS, status: 'failed', reason: 'bounced by the mail server for neko-nyaan@example.jp: 550 5.7.1 RESOLVER.RST.AuthRequired; authentication required' },
    ]);
    // The bounce itself is still kept, as automatic mail (never acknowledged).
    expect(parsed.messages).toHaveLength(1);
    expect(parsed.messages[0]?.meta?.isAutomatic).toBe(true);
  });

  it('from-google-names-the-mail-once-though-the-report-and-the-returned-message-both-carry-its-id', async () => {
    const parsed = await parse(withOurId('sisimai-gsuite-12.eml', '<160000000000.2022.837987497898796986@NEKO-NYAAN-22>', `<${OURS_AGAIN}>`));
    expect(parsed.statuses.map((s) => [s.providerMessageId, s.status])).toEqual([[OURS_AGAIN, 'failed']]);
    expect(parsed.statuses[0]?.reason).toMatch(/^bounced by the mail server for kijitora@example\.com: Your email to group kijitora@example\.com was rejected due to spam classification/);
    expect(parsed.statuses[0]?.reason?.length).toBeLessThanOrEqual(300);
  });

  it('with-only-returned-headers-and-a-status-code-gives-the-code-as-the-reason', async () => {
    const parsed = await parse(fixture('e10-dsn-bounce.eml'));
    expect(parsed.statuses).toEqual([
      { providerMessageId: '00000000-0000-0000-0000-000000000000@bluelamp.outbox', status: 'failed', reason: 'bounced by the mail server for nobody@example.net: status 5.1.1' },
    ]);
  });

  it('of-someone-elses-mail-fails-nothing', async () => {
    expect((await parse(fixture('sisimai-exchange2007-04.eml'))).statuses).toEqual([]);
    expect((await parse(fixture('sisimai-gsuite-12.eml'))).statuses).toEqual([]);
  });

  it('that-says-delivery-is-only-delayed-fails-nothing', async () => {
    const delayed = fixture('e10-dsn-bounce.eml').toString('latin1').replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.7');
    expect((await parse(delayed)).statuses).toEqual([]);
  });

  it('is-only-a-delivery-report-a-person-quoting-our-id-or-a-report-naming-it-elsewhere-fails-nothing', async () => {
    // A person's mail that quotes the headers of ours, and answers it.
    const person = [
      'From: Pat <pat@example.org>',
      'To: contact@demo.police.uk',
      'Subject: Re: your report',
      `In-Reply-To: <${OURS}>`,
      `References: <${OURS}>`,
      'Message-ID: <pat-1@example.org>',
      '',
      'Action: failed',
      'Status: 5.1.1',
      `Message-ID: <${OURS}>`,
      '',
    ].join('\r\n');
    expect((await parse(person)).statuses).toEqual([]);
    // A report whose returned message names ours only among its References (a reply to our mail
    // that bounced): the mail that bounced was not ours.
    const notOurs = withOurId('sisimai-exchange2007-04.eml', 'Message-ID: <78f44d2b2ea5763064d21edacd9d8d18@example.net>', `Message-ID: <someone@example.net>\nReferences: <${OURS}>`);
    expect((await parse(notOurs)).statuses).toEqual([]);
  });
});
