import { createHash, createHmac, hkdfSync } from 'node:crypto';

/*
 * Huawei Cloud's two AK/SK request signatures (spec/API-NOTES.md §6):
 * SDK-HMAC-SHA256, which every Huawei SDK sends to regular APIs, and
 * V11-HMAC-SHA256 with a derived key, which Huawei's LTS producers send to the
 * producer route. Both sign a canonical form of the request: method, path,
 * query, the signed headers, and the SHA-256 of the body bytes as sent.
 */

/** What a signature covers. */
export interface SignableRequest {
  method: string;
  /** The request path as sent (percent-encoded where needed), without the query string. */
  path: string;
  /** Query parameters; the LTS routes have none. */
  query?: Readonly<Record<string, string | readonly string[]>>;
  /** Every header to sign (names in any case), `x-sdk-date` included. Each one is signed. */
  headers: Readonly<Record<string, string>>;
  /** The body bytes exactly as sent, after any compression. */
  body: Uint8Array | string;
  /** The hex SHA-256 of `body` when the caller has it already (computed off the event loop). */
  bodyHash?: string;
}

/** An access key pair (AK/SK). */
export interface SigningKey {
  id: string;
  secret: string;
}

/** `X-Sdk-Date`: the UTC time as `YYYYMMDDTHHMMSSZ`. */
export function sdkDate(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** The `Authorization` value of SDK-HMAC-SHA256 (the signer of Huawei's SDKs). */
export function sdkHmacAuthorization(request: SignableRequest, key: SigningKey): string {
  const date = headerValue(request.headers, 'x-sdk-date');
  const { canonical, signedHeaders } = canonicalRequest(request, sdkCanonicalPath(request.path));
  const stringToSign = `SDK-HMAC-SHA256\n${date}\n${sha256Hex(canonical)}`;
  const signature = createHmac('sha256', key.secret).update(stringToSign).digest('hex');
  return `SDK-HMAC-SHA256 Access=${key.id}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/**
 * The `Authorization` value of V11-HMAC-SHA256, as Huawei's LTS producer
 * signs: the HMAC key is derived per day, region and service with HKDF, and
 * the string to sign carries the day rather than the full time.
 */
export function v11Authorization(
  request: SignableRequest,
  key: SigningKey,
  region: string,
  service = 'lts',
): string {
  const day = headerValue(request.headers, 'x-sdk-date').slice(0, 8);
  const scope = `${day}/${region}/${service}`;
  const { canonical, signedHeaders } = canonicalRequest(request, v11CanonicalPath(request.path));
  const stringToSign = `V11-HMAC-SHA256\n${day}\n${scope}\n${sha256Hex(canonical)}`;
  const derivedKey = Buffer.from(hkdfSync('sha256', key.secret, key.id, scope, 32)).toString('hex');
  const signature = createHmac('sha256', derivedKey).update(stringToSign).digest('hex');
  return `V11-HMAC-SHA256 Credential=${key.id}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

function canonicalRequest(
  request: SignableRequest,
  canonicalPath: string,
): { canonical: string; signedHeaders: string } {
  const names = Object.keys(request.headers)
    .map((name) => ({ name, lower: name.toLowerCase() }))
    .sort((left, right) => (left.lower < right.lower ? -1 : left.lower > right.lower ? 1 : 0));
  let headers = '';
  for (const { name, lower } of names) headers += `${lower}:${request.headers[name]!.trim()}\n`;
  const signedHeaders = names.map(({ lower }) => lower).join(';');
  const canonical = [
    request.method.toUpperCase(),
    canonicalPath,
    canonicalQuery(request.query),
    headers,
    signedHeaders,
    request.bodyHash ?? sha256Hex(request.body),
  ].join('\n');
  return { canonical, signedHeaders };
}

/** Huawei's Node SDK: each segment of the path as sent, percent-encoded again (RFC 3986), ending in `/`. */
function sdkCanonicalPath(path: string): string {
  const encoded = path.split('/').map(rfc3986).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** Huawei's Go producer: each byte of the decoded path outside the unreserved set as `%XX`, ending in `/`. */
function v11CanonicalPath(path: string): string {
  const encoded = path
    .split('/')
    .map((segment) => rfc3986(decodePathSegment(segment)))
    .join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function canonicalQuery(query: SignableRequest['query']): string {
  if (query === undefined) return '';
  const pairs: string[] = [];
  for (const name of Object.keys(query).sort()) {
    const value = query[name]!;
    const values = typeof value === 'string' ? [value] : [...value].sort();
    for (const entry of values) pairs.push(`${rfc3986(name)}=${rfc3986(entry)}`);
  }
  return pairs.join('&');
}

/** Percent-encodes everything but the RFC 3986 unreserved characters. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return headers[key]!.trim();
  }
  throw new TypeError(`a signed request needs the ${name} header`);
}
