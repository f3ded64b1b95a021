import { createHash, createHmac, hkdfSync } from 'node:crypto';
import type { AccessKey } from './types.ts';

/**
 * Huawei's AK/SK request signatures, computed the way the official signers
 * do: SDK-HMAC-SHA256 as huaweicloud-sdk-nodejs-v3's `AKSKSigner`, and
 * V11-HMAC-SHA256 as huaweicloud-lts-sdk-go's producer (spec/API-NOTES.md §6).
 * The emulator verifies with these functions and its tests sign with them.
 */

/** Header values by lowercase name, as `IncomingMessage.headers` holds them. */
export type HeaderValues = Record<string, string | string[] | undefined>;

/** The six parts of a canonical request. */
export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  headers: HeaderValues;
  /** Names of the signed headers (any case, any order). */
  signedHeaders: readonly string[];
  /** Lowercase hex SHA-256 of the body bytes as sent. */
  payloadHash: string;
}

const unreservedByte = /[A-Za-z0-9\-_.~]/;
const sdkDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Lowercase hex SHA-256. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * SDK-HMAC-SHA256's canonical URI: the raw path split on "/", each piece
 * percent-encoded again leaving only RFC 3986's unreserved characters, a
 * trailing "/" added. Huawei's Node signer does exactly this to the path it
 * is about to send.
 */
export function sdkCanonicalUri(rawPath: string): string {
  const path = rawPath
    .split('/')
    .map((piece) =>
      encodeURIComponent(piece).replace(
        /[!'()*]/g,
        (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * V11-HMAC-SHA256's canonical URI: Go's producer signs `URL.Path`, which is
 * already percent-decoded, and escapes every byte but A-Z a-z 0-9 - _ . ~.
 * Decoding to bytes (not to a string) keeps invalid UTF-8 escapes as Go would.
 */
export function v11CanonicalUri(rawPath: string): string {
  const segments: string[] = [];
  let segment: number[] = [];
  for (const byte of percentDecode(rawPath)) {
    if (byte === 0x2f /* / */) {
      segments.push(escapeBytes(segment));
      segment = [];
    } else {
      segment.push(byte);
    }
  }
  segments.push(escapeBytes(segment));
  const path = segments.join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * The canonical query: parameters sorted by name (values of a repeated name
 * sorted too), each `name=value` percent-encoded leaving only
 * A-Z a-z 0-9 - _ . ~, joined with "&"; empty without a query.
 */
export function canonicalQuery(rawQuery: string): string {
  const values = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const list = values.get(name);
    if (list === undefined) values.set(name, [value]);
    else list.push(value);
  }
  const pairs: string[] = [];
  for (const name of [...values.keys()].sort()) {
    for (const value of values.get(name)!.sort()) {
      pairs.push(`${escapeText(name)}=${escapeText(value)}`);
    }
  }
  return pairs.join('&');
}

/** The signed header names as they enter the canonical request: lowercase, sorted. */
export function signedHeaderNames(names: readonly string[]): string[] {
  return names.map((name) => name.toLowerCase()).sort();
}

/** `name:value\n` for each signed header, sorted by name, values trimmed. */
export function canonicalHeaders(headers: HeaderValues, names: readonly string[]): string {
  return signedHeaderNames(names)
    .map((name) => `${name}:${headerValue(headers, name)?.trim() ?? ''}\n`)
    .join('');
}

/** The canonical request both algorithms hash. */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  const names = signedHeaderNames(parts.signedHeaders);
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    canonicalHeaders(parts.headers, names),
    names.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** SDK-HMAC-SHA256: hex HMAC-SHA256, keyed with the SK, of the string to sign. */
export function sdkSignature(secret: string, sdkDate: string, canonical: string): string {
  const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/** The V11 credential scope: `{YYYYMMDD}/{region}/lts`. */
export function v11Info(day: string, region: string): string {
  return `${day}/${region}/lts`;
}

/** V11's derived key: hex of HKDF-SHA256(SK, salt AK, info), 32 bytes. The hex text is the HMAC key. */
export function v11DerivedKey(accessKeyId: string, secret: string, info: string): string {
  return Buffer.from(hkdfSync('sha256', secret, accessKeyId, info, 32)).toString('hex');
}

/** V11-HMAC-SHA256 (the day, not the full timestamp, on the second line, as Go's producer writes it). */
export function v11Signature(key: AccessKey, day: string, info: string, canonical: string): string {
  const stringToSign = `V11-HMAC-SHA256\n${day}\n${info}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', v11DerivedKey(key.id, key.secret, info))
    .update(stringToSign)
    .digest('hex');
}

/** `YYYYMMDDTHHMMSSZ` (UTC), the X-Sdk-Date format. */
export function formatSdkDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** Epoch ms of an X-Sdk-Date value, or undefined when it is not a real `YYYYMMDDTHHMMSSZ` time. */
export function parseSdkDate(value: string): number | undefined {
  const match = sdkDatePattern.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 20230230 over into March; a real signer never writes that.
  return formatSdkDate(new Date(time)) === value ? time : undefined;
}

/** What {@link signRequest} needs: the request as it will be sent. */
export interface SigningInput {
  method: string;
  /** Path and optional query exactly as sent, e.g. `/v2/…/tenant/contents`. */
  path: string;
  /** The headers to sign (all of them are signed); must include `x-sdk-date`. */
  headers: Record<string, string>;
  /** The body bytes as sent (after any compression). */
  body: Uint8Array | string;
  accessKey: AccessKey;
  /** The X-Sdk-Date the string to sign names; defaults to the `x-sdk-date` header (set it to sign without that header). */
  sdkDate?: string;
}

/**
 * The Authorization header value for a request, signing every header in
 * `input.headers` as Huawei's signers do. V11 needs the region.
 */
export function signRequest(
  input: SigningInput,
  algorithm: 'SDK-HMAC-SHA256' | { algorithm: 'V11-HMAC-SHA256'; region: string },
): string {
  const headers: HeaderValues = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  const sdkDate = input.sdkDate ?? headerValue(headers, 'x-sdk-date');
  if (sdkDate === undefined) throw new TypeError('signRequest: X-Sdk-Date is missing.');
  const [path, query = ''] = splitOnce(input.path, '?');
  const names = signedHeaderNames(Object.keys(headers));
  const parts = {
    method: input.method,
    canonicalQuery: canonicalQuery(query),
    headers,
    signedHeaders: names,
    payloadHash: sha256Hex(input.body),
  };
  if (algorithm === 'SDK-HMAC-SHA256') {
    const canonical = canonicalRequest({ ...parts, canonicalUri: sdkCanonicalUri(path) });
    const signature = sdkSignature(input.accessKey.secret, sdkDate, canonical);
    return `SDK-HMAC-SHA256 Access=${input.accessKey.id}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  }
  const day = sdkDate.slice(0, 8);
  const info = v11Info(day, algorithm.region);
  const canonical = canonicalRequest({ ...parts, canonicalUri: v11CanonicalUri(path) });
  const signature = v11Signature(input.accessKey, day, info, canonical);
  return `V11-HMAC-SHA256 Credential=${input.accessKey.id}/${info}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

/** One header's value; repeated headers (which Node keeps as arrays only for a few names) are joined. */
export function headerValue(headers: HeaderValues, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Splits at the first separator: `[before, after]`, or `[text]` without one. */
export function splitOnce(text: string, separator: string): [string, string?] {
  const index = text.indexOf(separator);
  return index === -1 ? [text] : [text.slice(0, index), text.slice(index + separator.length)];
}

function escapeText(text: string): string {
  return escapeBytes(Buffer.from(text, 'utf8'));
}

function escapeBytes(bytes: Iterable<number>): string {
  let out = '';
  for (const byte of bytes) {
    const character = String.fromCharCode(byte);
    out += unreservedByte.test(character)
      ? character
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent-decodes to bytes; a "%" not followed by two hex digits stays as it is. */
function percentDecode(text: string): Buffer {
  const raw = Buffer.from(text, 'utf8');
  const bytes: number[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const byte = raw[index]!;
    if (byte === 0x25 /* % */ && index + 2 < raw.length) {
      const hex = raw.subarray(index + 1, index + 3).toString('latin1');
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(Number.parseInt(hex, 16));
        index += 2;
        continue;
      }
    }
    bytes.push(byte);
  }
  return Buffer.from(bytes);
}
