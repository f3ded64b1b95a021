import { createHash, createHmac } from 'node:crypto';

/*
 * V11-HMAC-SHA256 written out step by step from Huawei's Go LTS producer
 * (huaweicloud-lts-sdk-go, producer/singer.go: SignHeaderBasic,
 * CanonicalRequestBasic, CanonicalURIBasic, CanonicalHeadersBasic,
 * GetDerivationKey, StringToSignDerived), independently of
 * packages/core/src/request-signing.ts: HKDF by hand with HMACs (core uses
 * `hkdfSync`), the path decoded as a whole and escaped byte by byte (as Go
 * does with `r.URL.Path`), headers sorted as byte strings.
 */

/** One request as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** The path as sent (percent-encoded), no query: the producer route has none. */
  path: string;
  /** The signed headers with the values sent (names in any case). */
  headers: Readonly<Record<string, string>>;
  body: Uint8Array;
}

/** Every intermediate value, so a mismatch can be located. */
export interface V11Steps {
  day: string;
  info: string;
  derivedKeyHex: string;
  canonicalUri: string;
  canonicalHeaders: string;
  signedHeaders: string;
  payloadHash: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Uint8Array | string, data: Uint8Array | string) =>
  createHmac('sha256', key).update(data).digest();

/** RFC 5869 HKDF-SHA256: extract with salt = AK over key material = SK, expand with info to 32 bytes (one block). */
export function hkdfSha256Hex(secretKey: string, accessKey: string, info: string): string {
  const prk = hmac(Buffer.from(accessKey, 'utf8'), Buffer.from(secretKey, 'utf8'));
  const t1 = hmac(prk, Buffer.concat([Buffer.from(info, 'utf8'), Buffer.from([0x01])]));
  return t1.subarray(0, 32).toString('hex');
}

/** Go's `url.PathUnescape` on the path, as bytes (`%XX` to the byte, everything else UTF-8). */
function decodePathBytes(path: string): Buffer {
  const bytes: number[] = [];
  for (let index = 0; index < path.length; ) {
    if (path[index] === '%') {
      const hex = path.slice(index + 1, index + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Error(`invalid escape in ${path}`);
      bytes.push(Number.parseInt(hex, 16));
      index += 3;
    } else {
      const codePoint = path.codePointAt(index)!;
      const character = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(character, 'utf8'));
      index += character.length;
    }
  }
  return Buffer.from(bytes);
}

/** Go's `shouldEscape`: everything but A-Z a-z 0-9 _ - ~ . */
function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x5f ||
    byte === 0x2d ||
    byte === 0x7e ||
    byte === 0x2e
  );
}

/** CanonicalURIBasic: split the decoded path on `/`, escape each byte of each part, append `/`. */
export function goCanonicalUri(path: string): string {
  const decoded = decodePathBytes(path);
  const parts: string[] = [];
  let current = '';
  for (const byte of decoded) {
    if (byte === 0x2f) {
      parts.push(current);
      current = '';
    } else if (isUnreserved(byte)) {
      current += String.fromCharCode(byte);
    } else {
      current += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  parts.push(current);
  const uri = parts.join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** Byte-order comparison, as Go's `sort.Strings`. */
function byteOrder(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

/** The V11-HMAC-SHA256 signature of the Go producer, with every step. */
export function v11Steps(
  request: WireRequest,
  key: { id: string; secret: string },
  region: string,
  service = 'lts',
): V11Steps {
  const lowered = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    if (lowered.has(name.toLowerCase())) throw new Error(`header ${name} given twice`);
    lowered.set(name.toLowerCase(), value);
  }
  const date = lowered.get('x-sdk-date');
  // time.Parse("20060102T150405Z", …): the day is the date's first 8 digits (UTC).
  if (date === undefined || !/^\d{8}T\d{6}Z$/.test(date)) {
    throw new Error(`x-sdk-date must be YYYYMMDDTHHMMSSZ, got ${date}`);
  }
  const day = date.slice(0, 8);
  const info = `${day}/${region}/${service}`;
  const derivedKeyHex = hkdfSha256Hex(key.secret, key.id, info);

  const names = [...lowered.keys()].sort(byteOrder);
  const canonicalHeaders = names.map((name) => `${name}:${lowered.get(name)!.trim()}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalUri = goCanonicalUri(request.path);
  const payloadHash = sha256Hex(request.body);
  const canonicalRequest = `${request.method}\n${canonicalUri}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const stringToSign = `V11-HMAC-SHA256\n${day}\n${info}\n${sha256Hex(canonicalRequest)}`;
  // SignStringToSign(stringToSign, []byte(derivedSk)): the key is the hex TEXT, 64 ASCII bytes.
  const signature = hmac(Buffer.from(derivedKeyHex, 'ascii'), stringToSign).toString('hex');
  const authorization = `V11-HMAC-SHA256 Credential=${key.id}/${info}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return {
    day,
    info,
    derivedKeyHex,
    canonicalUri,
    canonicalHeaders,
    signedHeaders,
    payloadHash,
    canonicalRequest,
    stringToSign,
    signature,
    authorization,
  };
}
