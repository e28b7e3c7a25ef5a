import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../../test/helpers.ts';
import { createSmtpMailer } from './mailer.ts';
import { smtpUrlProblem } from './smtp-url.ts';

// nodemailer reads an SMTP URL's query string as transport options that override the caller's;
// a force admin sets an email channel's URL, so the URL may say where and who, and nothing else.
describe('SMTP server URLs', () => {
  it.each([
    ['smtp://8.8.8.8:25/?proxy=http://127.0.0.1:3417', 'no path, ?options'],
    ['smtp://8.8.8.8:25/?pool=false&sendmail=true&path=/tmp/run.sh', 'no path, ?options'],
    ['smtps://smtp.example.net/?tls.rejectUnauthorized=false', 'no path, ?options'],
    ['smtp://smtp.example.net?logger=true&debug=true', 'no path, ?options'],
    ['smtp://smtp.example.net/relay', 'no path'],
    ['smtp://smtp.example.net/#x', '#fragment'],
    ['http://smtp.example.net', 'smtp:// or smtps://'],
    ['smtp://', 'no host'],
    ['not a url', 'not a URL'],
  ])('refuses %s', (url, reason) => {
    expect(smtpUrlProblem(url)).toContain(reason);
  });

  it.each(['smtp://smtp.example.net', 'smtps://user%40force:p%3Aw@smtp.example.net:465/', 'smtp://[2001:db8::1]:587'])('takes %s', (url) => {
    expect(smtpUrlProblem(url)).toBeNull();
  });

  it('will not make a mailer from a URL with options, even one that bypassed the settings check', () => {
    expect(() => createSmtpMailer('smtp://8.8.8.8:25/?sendmail=true&path=/bin/sh')).toThrow(/no path, \?options/);
  });

  describe('sending', () => {
    let server: Awaited<ReturnType<typeof startSmtpServer>>;
    beforeAll(async () => {
      server = await startSmtpServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('signs in with the credentials the URL spells, percent-escapes decoded, and delivers', async () => {
      const port = new URL(server.url).port;
      const mailer = createSmtpMailer(`smtp://desk%40force.police.uk:p%3Aw%2Fd@127.0.0.1:${port}`);
      try {
        await mailer.send({ from: 'contact@force.police.uk', to: 'victim@example.org', subject: 'Update', text: 'Your case', messageId: '<u1@force>' });
      } finally {
        mailer.close();
      }
      expect(server.signIns).toEqual([{ username: 'desk@force.police.uk', password: 'p:w/d' }]);
      expect(server.received.map((mail) => mail.to)).toEqual([['victim@example.org']]);
    });

    it('connects to the address the outbound guard approved for a name, not to what the name says now', async () => {
      const port = new URL(server.url).port;
      // `mail.invalid` resolves nowhere: only the pinned address can have carried this mail.
      const mailer = createSmtpMailer(`smtp://mail.invalid:${port}`, '127.0.0.1');
      try {
        await mailer.send({ from: 'contact@force.police.uk', to: 'pinned@example.org', subject: 'Update', text: 'Pinned', messageId: '<u2@force>' });
      } finally {
        mailer.close();
      }
      expect(server.received.at(-1)?.to).toEqual(['pinned@example.org']);
    });
  });
});
