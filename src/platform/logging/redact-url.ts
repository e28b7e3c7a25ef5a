/**
 * Query parameters whose values are kept wherever a URL is logged: they choose pages, filters and
 * languages, never name a person. Every other value is masked: a search for a phone number, an
 * email or a name (`q`, `value`, `number`), a one-time code or a provider's token. A parameter
 * added later is masked until it is listed here, so a log never learns who was looked up.
 */
const PLAIN_PARAMS = new Set([
  'status', 'which', 'state', 'kind', 'channel', 'priority', 'assignee', 'queue', 'team',
  'limit', 'offset', 'after', 'before', 'from', 'to', 'since', 'lang', 'locale', 'sent',
  'hub.mode', 'hub.challenge', 'account',
]);

/** The URL with the values of its query parameters masked, except those known to be plain (above). */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  let changed = false;
  for (const name of new Set(params.keys())) {
    if (!PLAIN_PARAMS.has(name.toLowerCase())) {
      params.set(name, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, question)}?${params.toString()}` : url;
}
