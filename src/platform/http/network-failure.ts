// What staff are told when a provider could not be reached at all (no answer, not a refusal). The
// errors come from Node's sockets, DNS and TLS, or from undici's `fetch failed` (whose message says
// nothing: the reason is in its `cause`), and name the failure by a code; a member of staff gets a
// few plain words for it, never a stack or a socket address.

const PLAIN_REASONS: [RegExp, string][] = [
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NODATA|EAI_NONAME|EAI_FAIL)$/, 'address not found'],
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ECONNRESET|EPIPE|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'connection dropped'],
  [/^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|TimeoutError|AbortError)$/, 'no answer in time'],
  [/^(EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN)$/, 'network unreachable'],
  [/(CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL)/, 'its certificate was not accepted'],
];

/** The code a network error carries (`ENOTFOUND`), or its name for aborts and timeouts. */
function codeOf(error: object): string | null {
  if ('code' in error && typeof error.code === 'string') return error.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return error.name;
  return null;
}

/**
 * A few plain words for why a request never got an answer (`address not found`, `connection
 * refused`), following the error's causes; null when the error is not a network failure (a
 * provider's refusal, a bug), whose own message is kept.
 */
export function describeNetworkFailure(error: unknown): string | null {
  let isFetchFailure = false;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = codeOf(current);
    if (code) {
      const plain = PLAIN_REASONS.find(([pattern]) => pattern.test(code));
      if (plain) return plain[1];
    }
    if (current instanceof TypeError && current.message === 'fetch failed') isFetchFailure = true;
    current = 'cause' in current ? current.cause : undefined;
  }
  // undici's bare `fetch failed` with a cause we do not know: still a connection that failed.
  return isFetchFailure ? 'connection failed' : null;
}
