import { describe, expect, it } from 'vitest';
import { emailAddressField, parseEmailAddress } from './email-address.ts';

// Real samples: the Universal Acceptance Steering Group's test mailboxes (UASG 004, "Use cases for
// UA readiness evaluation"), which exist to be written to, and the examples of RFC 6530/6531.

describe('an email address we can send to', () => {
  it('accepts-idn-domains-keeping-them-in-ascii', () => {
    const accepted: [string, string][] = [
      ['name@bücher.example', 'name@xn--bcher-kva.example'],
      ['info1@ua-test.link', 'info1@ua-test.link'],
      ['info3@普遍接受-测试.top', 'info3@xn----f38am99bqvcd5liy1cxsg.top'],
      ['info4@ua-test.世界', 'info4@ua-test.xn--rhqv96g'],
      ['info5@普遍接受-测试.世界', 'info5@xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g'],
      // Already in ASCII, as a browser may post it: unchanged.
      ['info5@xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g', 'info5@xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g'],
      ['uasg.tech@डाटामेल.भारत', 'uasg.tech@xn--c2bd4bq1db8d.xn--h2brj9c'],
      ['info6@ختبار-القبواللعالمي.top', 'info6@xn----ymcbaabdl9a7a0gzezadacr1c6b.top'],
      // A Welsh name under .cymru, which takes the circumflexed letters.
      ['post@gŵyl.cymru', 'post@xn--gyl-b2a.cymru'],
      // The ideographic full stop a CJK keyboard types is a dot to IDNA.
      ['info5@普遍接受-测试。世界', 'info5@xn----f38am99bqvcd5liy1cxsg.xn--rhqv96g'],
      ['  Sam.O\'Brien+report@Example.CO.UK ', "Sam.O'Brien+report@example.co.uk"],
    ];
    for (const [typed, address] of accepted) expect(parseEmailAddress(typed), typed).toEqual({ ok: true, address });
  });

  it('refuses-a-utf8-part-before-the-at-saying-why', () => {
    // Well formed under RFC 6531, but deliverable only over SMTPUTF8, which Notify refuses.
    for (const typed of ['测试1@ua-test.link', '测试5@普遍接受-测试.世界', 'युएअसजी@डाटामेल.भारत', 'Dörte@Sörensen.example.com', 'siân@example.cymru']) {
      expect(parseEmailAddress(typed), typed).toEqual({ ok: false, problem: 'localPartNotAscii' });
    }
  });

  it('refuses-malformed-addresses', () => {
    const malformed = [
      'plainaddress',
      '@bücher.example',
      'name@',
      'name@bücher',
      'name@@bücher.example',
      'name@bücher..example',
      'name@bücher.example.',
      'name@-bücher.example',
      '.name@example.com',
      'name.@example.com',
      'na..me@example.com',
      'na me@example.com',
      '"quoted"@example.com',
      'name@[192.0.2.1]',
      'name@192.0.2.1',
      'name@b%C3%BCcher.example',
      'name@xn--zzzz.example',
      'name@example.c',
      'name@exa_mple.com',
      'name@ex ample.com',
      'name@example.com (Sam)',
    ];
    for (const typed of malformed) expect(parseEmailAddress(typed), typed).toEqual({ ok: false, problem: 'format' });
    // A UTF-8 part before the @ of an address malformed after it is malformed, first.
    expect(parseEmailAddress('测试@bücher')).toEqual({ ok: false, problem: 'format' });
  });

  it('refuses-an-address-too-long-once-its-domain-is-in-ascii', () => {
    expect(parseEmailAddress(`${'a'.repeat(65)}@example.com`)).toEqual({ ok: false, problem: 'tooLong' });
    // Within the form's 254 characters as typed; its domain in punycode takes it past SMTP's limits.
    const domain = (n: number) => ['ü', 'ö', 'ä', 'é', 'è'].map((letter) => letter.repeat(n)).join('.') + '.example';
    expect(`someone@${domain(45)}`.length).toBeLessThan(254);
    expect(parseEmailAddress(`someone@${domain(45)}`)).toEqual({ ok: false, problem: 'tooLong' });
    expect(parseEmailAddress(`someone@${domain(42)}`)).toEqual({ ok: false, problem: 'tooLong' });
    expect(parseEmailAddress(`someone@${domain(30)}`).ok).toBe(true);
  });

  it('gives-an-api-the-address-to-send-to-or-the-reason', () => {
    expect(emailAddressField().parse(' Name@Bücher.example ')).toBe('Name@xn--bcher-kva.example');
    const refused = emailAddressField().safeParse('测试1@ua-test.link');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/SMTPUTF8/);
    expect(emailAddressField().safeParse('not an address').error?.issues[0]?.message).toBe('must be an email address');
  });
});
