import { domainToASCII } from 'node:url';
import { z } from 'zod';

// An email address someone gives us, checked for what our senders can deliver to (decision 0146).
// A domain may be written in any script (an IDN such as bücher.example or a Welsh name under
// .cymru): it is kept as its ASCII form (punycode, the A-label), which every mail server, nodemailer
// and GOV.UK Notify take, and which is what most mail systems write in a From header, so one
// address is one identity however it was typed. The part before the @ must be ASCII: a UTF-8 one
// (RFC 6531) can only travel over SMTPUTF8, which GOV.UK Notify refuses and a relay need not offer,
// so it would be accepted here and fail when we first write to the person. It is refused with that
// reason instead, while they are still there to give another address.

/** Why an address is refused: its shape, a part before the @ we cannot send to, or its length. */
export type EmailAddressProblem = 'format' | 'localPartNotAscii' | 'tooLong';

/** An address we can send to, as our senders need it, or the reason it is refused. */
export type ParsedEmailAddress = { ok: true; address: string } | { ok: false; problem: EmailAddressProblem };

// RFC 5321's dot-string: atext, with single dots between; no quoted local parts (Notify refuses them).
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_STRING = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
// The same with RFC 6531's UTF-8 characters: well formed, but only deliverable over SMTPUTF8.
const UTF8_ATEXT = `\\u0080-\\u{10FFFF}${ATEXT}`;
const UTF8_DOT_STRING = new RegExp(`^[${UTF8_ATEXT}]+(?:\\.[${UTF8_ATEXT}]+)*$`, 'u');
// A domain as typed: labels of letters, marks and digits in any script, and hyphens, between dots
// (the ideographic and full-width dots are the dots CJK keyboards type; IDNA reads them as dots).
// Checked before conversion, which would also decode percent escapes and read IP addresses.
const TYPED_DOMAIN = /^[\p{L}\p{M}\p{N}-]+(?:[.\u3002\uff0e\uff61][\p{L}\p{M}\p{N}-]+)+$/u;
// A label begins and ends with a letter or digit, in its own script as in ASCII.
const TYPED_HYPHEN_AT_END = /(?:^|[.\u3002\uff0e\uff61])-|-(?:$|[.\u3002\uff0e\uff61])/u;
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// The last label is a top-level domain: letters, or an IDN's A-label (never digits: no IP addresses).
const TOP_LABEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;
const MAX_DOMAIN = 253;

/** The domain's ASCII form (lower case, IDN labels as punycode), or null when it is not a domain name (its length unchecked). */
export function asciiDomain(domain: string): string | null {
  if (!TYPED_DOMAIN.test(domain) || TYPED_HYPHEN_AT_END.test(domain)) return null;
  const ascii = domainToASCII(domain);
  if (!ascii) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => ASCII_LABEL.test(label))) return null;
  return TOP_LABEL.test(labels.at(-1) ?? '') ? ascii : null;
}

/**
 * `typed` (trimmed) as an address our senders can deliver to: the part before the @ as typed, the
 * domain in its ASCII form. Refused when malformed, when the part before the @ is not ASCII, or
 * when the address we would send to is longer than SMTP allows.
 */
export function parseEmailAddress(typed: string): ParsedEmailAddress {
  const value = typed.trim();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return { ok: false, problem: 'format' };
  const localPart = value.slice(0, at);
  const domain = asciiDomain(value.slice(at + 1));
  if (!DOT_STRING.test(localPart)) {
    return { ok: false, problem: domain && UTF8_DOT_STRING.test(localPart) ? 'localPartNotAscii' : 'format' };
  }
  if (!domain) return { ok: false, problem: 'format' };
  const address = `${localPart}@${domain}`;
  if (localPart.length > MAX_LOCAL_PART || domain.length > MAX_DOMAIN || address.length > MAX_ADDRESS) return { ok: false, problem: 'tooLong' };
  return { ok: true, address };
}

/** The English reason an API gives for each refusal (the portal words its own, in English and Welsh). */
export const EMAIL_ADDRESS_REASONS: Record<EmailAddressProblem, string> = {
  format: 'must be an email address',
  localPartNotAscii: 'must have only ASCII letters, digits and symbols before the @: an address needing SMTPUTF8 cannot be sent to by our email providers',
  tooLong: 'must be at most 254 characters, with its domain in ASCII (punycode)',
};

/**
 * An API's email field: trimmed, checked as `parseEmailAddress` checks it, and given on as the
 * address to send to (its domain in ASCII). Each refusal is a 400 naming the field and the reason.
 */
export function emailAddressField() {
  return z
    .string()
    .trim()
    .max(320, { error: EMAIL_ADDRESS_REASONS.tooLong })
    .transform((value, ctx) => {
      const parsed = parseEmailAddress(value);
      if (parsed.ok) return parsed.address;
      ctx.issues.push({ code: 'custom', message: EMAIL_ADDRESS_REASONS[parsed.problem], input: value });
      return z.NEVER;
    });
}
