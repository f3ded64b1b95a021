/** What to do with a batch after one attempt. */
export type AttemptVerdict =
  | { action: 'delivered' }
  | { action: 'retry'; reason: string; retryAfterMs?: number }
  | { action: 'renew-token'; reason: string }
  | { action: 'split'; reason: string }
  | { action: 'drop'; dropReason: 'rejected' | 'tls'; reason: string };

/** The LTS status table (spec/API-NOTES.md §1), with what a real network adds. */
export function verdictForStatus(status: number, reason: string): AttemptVerdict {
  if (status >= 200 && status < 300) return { action: 'delivered' };
  // Not followed: a redirect means something other than LTS answered (a
  // captive portal, a proxy's login page), which may go away.
  if (status >= 300 && status < 400) return { action: 'retry', reason };
  if (status === 401) return { action: 'renew-token', reason };
  if (status === 413) return { action: 'split', reason };
  if (status === 408 || status === 429 || status >= 500) return { action: 'retry', reason };
  // 400 says: fix the request, do not retry it. Other 4xx cannot get better by waiting either.
  return { action: 'drop', dropReason: 'rejected', reason };
}

/** TLS verification failures: the same request will fail the same way. */
const tlsErrorCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** Network errors: TLS verification failures are final, everything else (reset, refused, timeout) is retried. */
export function verdictForError(error: unknown): AttemptVerdict {
  const code = errorCode(error);
  if (code !== undefined && tlsErrorCodes.has(code)) {
    return { action: 'drop', dropReason: 'tls', reason: describeNetworkError(error) };
  }
  return { action: 'retry', reason: describeNetworkError(error) };
}

/** Full-jitter exponential backoff: a uniform wait in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelayMs(
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    options.maxDelayMs,
    options.baseDelayMs * 2 ** Math.min(attempt - 1, 30),
  );
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs = Date.now(),
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET' && code !== 'UND_ERR_CONNECT') {
      return code;
    }
    current = current.cause;
  }
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

/** A one-line description of a network error: its code and message, never request headers. */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = errorCode(error);
  const cause =
    error.cause instanceof Error && error.cause.message !== error.message
      ? `: ${error.cause.message}`
      : '';
  // OpenSSL's words for a plain-HTTP answer to a TLS hello.
  const hint = /wrong version number/i.test(`${code} ${error.message}${cause}`)
    ? ' (the server does not speak TLS: is the endpoint http://, not https://?)'
    : '';
  return `${code ? `${code} ` : ''}${error.message}${cause}${hint}`;
}
