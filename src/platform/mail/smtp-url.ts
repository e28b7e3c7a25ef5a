import { z } from 'zod';

// The SMTP server URLs Bluelamp accepts, from an operator's setting or a force admin's email channel.

/**
 * Why an SMTP URL cannot be used, or null. It may say where the server is and how to sign in
 * (scheme, credentials, host, port) and nothing else: nodemailer reads a URL's query string as
 * transport options that override ours, and some of them (`sendmail`, `path`, `proxy`,
 * `tls.rejectUnauthorized`, `logger`) would let whoever sets the URL run a program, reach an
 * address the outbound guard refused, or turn off certificate checks.
 */
export function smtpUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return 'must be an smtp:// or smtps:// URL';
  if (url.hostname === '') return 'has no host';
  if (url.search !== '' || url.hash !== '' || (url.pathname !== '' && url.pathname !== '/')) {
    return 'may hold only credentials, a host and a port (no path, ?options or #fragment)';
  }
  return null;
}

/** An SMTP server URL setting, checked with `smtpUrlProblem`. */
export const smtpUrlSchema = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const problem = smtpUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}, e.g. smtps://user:password@smtp.example.net:465` });
  });
