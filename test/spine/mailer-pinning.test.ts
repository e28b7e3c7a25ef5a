import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailerPool } from '../../src/platform/mail/mailer.ts';
import { startSmtpServer } from '../helpers.ts';

// The outbound guard approves an address for a mail server's name just before a send. The mailer
// must connect to that address: looking the name up again would let a DNS answer that changed in
// between (rebinding) point the connection at an internal address the guard never saw.

describe('the mailer connects to the address the guard approved', () => {
  let server: Awaited<ReturnType<typeof startSmtpServer>>;
  const mailers = new MailerPool();
  // `.invalid` never resolves (RFC 6761): a send can only work without looking the name up.
  let namedUrl = '';

  beforeAll(async () => {
    server = await startSmtpServer();
    namedUrl = server.url.replace('127.0.0.1', 'mail.bluelamp.invalid');
  });
  afterAll(async () => {
    mailers.close();
    await server.close();
  });

  const mail = (n: number) => ({
    from: 'desk@force.example',
    to: 'person@example.org',
    subject: `pinned ${n}`,
    text: 'hello',
    messageId: `<pinned-${n}@bluelamp.invalid>`,
  });

  it('sends through the approved address without resolving the name', async () => {
    await mailers.mailerFor(namedUrl, '127.0.0.1').send(mail(1));
    expect(server.received.map((received) => received.raw).join('\n')).toContain('Subject: pinned 1');
  });

  it('without an approved address the name is looked up, and a name that does not resolve fails', async () => {
    await expect(mailers.mailerFor(namedUrl).send(mail(2))).rejects.toThrow();
    expect(server.received.some((received) => received.raw.includes('pinned 2'))).toBe(false);
  });

  it('a new approved address for the same server gets its own connections', () => {
    expect(mailers.mailerFor(namedUrl, '127.0.0.1')).toBe(mailers.mailerFor(namedUrl, '127.0.0.1'));
    expect(mailers.mailerFor(namedUrl, '127.0.0.2')).not.toBe(mailers.mailerFor(namedUrl, '127.0.0.1'));
  });
});
