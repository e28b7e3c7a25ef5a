import { createHmac, timingSafeEqual } from 'node:crypto';

// How Twilio signs the requests it makes to us (X-Twilio-Signature), and how we check one.

/** Twilio's request signature: base64 HMAC-SHA1 over the URL then each parameter's name and value, sorted by name. */
export function twilioSignature(authToken: string, url: string, params: [string, string][]): string {
  // Sorted by name, then value for repeated names, as Twilio's helper libraries do; code-unit order.
  const sorted = [...params].sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : av > bv ? 1 : 0) : ak < bk ? -1 : 1));
  const data = sorted.reduce((acc, [name, value]) => acc + name + value, url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * The URL as given, and the same URL with its default port added or removed: Twilio's helper
 * libraries accept either, because Twilio signs some requests with `:443` and some without.
 */
function urlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? '443' : '80';
  const port = /:(\d+)$/.exec(authority)?.[1];
  if (port === undefined) return [url, `${scheme}://${authority}:${defaultPort}${rest}`];
  if (port === defaultPort) return [url, `${scheme}://${authority.slice(0, -(port.length + 1))}${rest}`];
  return [url];
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Whether `given` is Twilio's signature of these parameters posted to `url` (with or without its default port) by the account with this auth token. */
export function isTwilioSignatureOf(authToken: string, url: string, params: [string, string][], given: string): boolean {
  return urlVariants(url).some((variant) => safeEqual(twilioSignature(authToken, variant, params), given));
}
