/** Query parameters that carry a secret or a one-time value, masked wherever a URL is logged. */
const SECRET_PARAMS = /^(hub\.verify_token|crc_token|token|code|access_token|api_key|key|signature)$/i;

/** The URL with the values of secret-bearing query parameters replaced by a marker. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  let changed = false;
  for (const name of [...params.keys()]) {
    if (SECRET_PARAMS.test(name)) {
      params.set(name, '[redacted]');
      changed = true;
    }
  }
  return changed ? `${url.slice(0, question)}?${params.toString()}` : url;
}
