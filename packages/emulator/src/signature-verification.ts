import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccessKeyRegistry } from './access-keys.ts';
import { GatewayRefusal } from './responses.ts';
import {
  canonicalQuery,
  canonicalRequest,
  formatSdkDate,
  type HeaderValues,
  headerValue,
  parseSdkDate,
  sdkCanonicalUri,
  sdkSignature,
  sha256Hex,
  signedHeaderNames,
  splitOnce,
  v11CanonicalUri,
  v11Info,
  v11Signature,
} from './signature.ts';
import type { RequestCredential, SignatureAlgorithm } from './types.ts';

/** A header name (RFC 9110 token): what SignedHeaders may list. */
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An access key id as refusals and the request log show one the emulator does not know: its first 4 characters. */
export function maskedAccessKeyId(accessKeyId: string): string {
  return `${accessKeyId.slice(0, 4)}****`;
}

/** The gateway's allowed clock difference between the signer and the server. */
const maximumSkewMs = 15 * 60 * 1000;

/** The fields of an `Authorization: SDK-HMAC-SHA256 …` or `V11-HMAC-SHA256 …` header. */
export interface ParsedAuthorization {
  algorithm: SignatureAlgorithm;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
  /** V11 only: `{YYYYMMDD}/{region}/{service}` after the AK in `Credential=`. */
  scope?: string;
}

/** An Authorization header of a signing scheme we know, but not well-formed. */
export interface MalformedAuthorization {
  algorithm: SignatureAlgorithm;
  malformed: string;
}

/** A report request, as much of it as the signature covers. */
export interface SignedRequest {
  method: string;
  /** `request.url` exactly as received: path and optional query. */
  url: string;
  headers: HeaderValues;
  /** The body bytes as received (compressed when the request is). */
  body: Buffer;
  /** The project_id in the path. */
  projectId: string;
}

/** What the check compares against. */
export interface VerificationContext {
  keys: AccessKeyRegistry;
  /** The region V11 scopes must name. */
  region: string;
  /** The emulator's clock, epoch ms. */
  nowMs: number;
}

/**
 * Parses a signature Authorization header. Undefined for any other scheme
 * (`Bearer …`), so the caller can tell "not signed" from "badly signed".
 */
export function parseAuthorization(
  value: string,
): ParsedAuthorization | MalformedAuthorization | undefined {
  const [scheme, rest = ''] = splitOnce(value.trim(), ' ');
  if (scheme !== 'SDK-HMAC-SHA256' && scheme !== 'V11-HMAC-SHA256') return undefined;
  const fields = new Map<string, string>();
  for (const part of rest.split(',')) {
    const [name, fieldValue] = splitOnce(part.trim(), '=');
    if (fieldValue !== undefined) fields.set(name, fieldValue.trim());
  }
  const keyField = scheme === 'SDK-HMAC-SHA256' ? 'Access' : 'Credential';
  const [accessKeyId = '', scope] = splitOnce(fields.get(keyField) ?? '', '/');
  const signedHeaders = fields.get('SignedHeaders') ?? '';
  const signature = fields.get('Signature') ?? '';
  // Refusals quote the signed names: only header names may be quoted (a missing comma
  // would otherwise put the signature among them).
  if (
    accessKeyId === '' ||
    signedHeaders === '' ||
    !signedHeaders.split(';').every((name) => headerName.test(name)) ||
    signature === '' ||
    (scheme === 'V11-HMAC-SHA256' && scope === undefined)
  ) {
    const shape =
      scheme === 'SDK-HMAC-SHA256' ? 'Access={AK}' : 'Credential={AK}/{YYYYMMDD}/{region}/lts';
    return {
      algorithm: scheme,
      malformed: `the Authorization header must be "${scheme} ${shape}, SignedHeaders={names}, Signature={hex}"`,
    };
  }
  return {
    algorithm: scheme,
    accessKeyId,
    signedHeaders: signedHeaders.split(';'),
    signature,
    ...(scope === undefined ? {} : { scope }),
  };
}

/**
 * Checks a signed request the way Huawei's API gateway does and returns the
 * credential it used; throws a {@link GatewayRefusal} (401 APIGW.0301) that
 * says what is wrong, never quoting a secret, token or signature.
 */
export function verifySignature(
  authorization: ParsedAuthorization,
  request: SignedRequest,
  context: VerificationContext,
): RequestCredential {
  const { algorithm, accessKeyId } = authorization;
  const v11 = algorithm === 'V11-HMAC-SHA256';
  const headers = request.headers;
  const names = signedHeaderNames(authorization.signedHeaders);

  const sdkDate = headerValue(headers, 'x-sdk-date')?.trim();
  if (sdkDate === undefined) throw new GatewayRefusal('the X-Sdk-Date header is missing');
  const signedAtMs = parseSdkDate(sdkDate);
  if (signedAtMs === undefined) {
    throw new GatewayRefusal(`X-Sdk-Date must be YYYYMMDDTHHMMSSZ (UTC); got "${sdkDate}"`);
  }
  const required = v11 ? ['x-sdk-date', 'content-type'] : ['host', 'x-sdk-date', 'x-project-id'];
  for (const name of required) {
    if (!names.includes(name)) {
      throw new GatewayRefusal(
        `the ${name} header must be signed (SignedHeaders=${names.join(';')})`,
      );
    }
  }
  for (const name of names) {
    if (headerValue(headers, name) === undefined) {
      throw new GatewayRefusal(`the signed header ${name} is not in the request`);
    }
  }
  if (v11) checkScope(authorization.scope ?? '', sdkDate, context.region);
  const projectHeader = headerValue(headers, 'x-project-id')?.trim();
  if (projectHeader !== undefined && projectHeader !== request.projectId) {
    throw new GatewayRefusal(
      `X-Project-Id ${projectHeader} is not the project_id of the path ${request.projectId}`,
    );
  }
  if (Math.abs(signedAtMs - context.nowMs) > maximumSkewMs) {
    throw new GatewayRefusal(
      `signature expired, signature time:${sdkDate},server time:${formatSdkDate(new Date(context.nowMs))}`,
    );
  }

  const key = context.keys.find(accessKeyId, context.nowMs);
  if (!key.found) {
    throw new GatewayRefusal(
      `Get secretKey failed,ak:${maskedAccessKeyId(accessKeyId)},err:${key.reason}`,
    );
  }
  // A security token belongs to one temporary key: the gateway refuses one sent with
  // any other key, a permanent key included (which takes none).
  const securityToken = headerValue(headers, 'x-security-token')?.trim();
  if (key.kind === 'temporary-key') {
    if (!names.includes('x-security-token')) {
      throw new GatewayRefusal(
        'a temporary access key needs its X-Security-Token header, and the header signed',
      );
    }
    if (!sameText(securityToken!, key.securityToken)) {
      throw new GatewayRefusal('the X-Security-Token does not belong to the access key');
    }
  } else if (securityToken) {
    throw new GatewayRefusal(
      'the X-Security-Token does not belong to the access key (a permanent access key takes none)',
    );
  }

  const payloadHash = sha256Hex(request.body);
  const declaredHash = headerValue(headers, 'x-sdk-content-sha256')?.trim().toLowerCase();
  if (declaredHash !== undefined && declaredHash !== payloadHash) {
    throw new GatewayRefusal('X-Sdk-Content-Sha256 is not the SHA-256 of the body');
  }
  const [path, query = ''] = splitOnce(request.url, '?');
  const canonical = canonicalRequest({
    method: request.method,
    canonicalUri: v11 ? v11CanonicalUri(path) : sdkCanonicalUri(path),
    canonicalQuery: canonicalQuery(query),
    headers,
    signedHeaders: names,
    payloadHash,
  });
  const keyPair = { id: accessKeyId, secret: key.secret };
  const expected = v11
    ? v11Signature(
        keyPair,
        sdkDate.slice(0, 8),
        v11Info(sdkDate.slice(0, 8), context.region),
        canonical,
      )
    : sdkSignature(key.secret, sdkDate, canonical);
  if (!sameSignature(authorization.signature, expected)) {
    throw new GatewayRefusal('verify aksk signature fail');
  }
  return { kind: key.kind, id: accessKeyId, algorithm };
}

/** V11's `{YYYYMMDD}/{region}/lts` must name the day of X-Sdk-Date and this endpoint's region. */
function checkScope(scope: string, sdkDate: string, region: string): void {
  const [day, scopeRegion, service, ...extra] = scope.split('/');
  // The scope is not quoted: a malformed Credential may hold anything (a missing comma, a token).
  if (!day || !scopeRegion || !service || extra.length > 0) {
    throw new GatewayRefusal('the credential scope after the AK must be {YYYYMMDD}/{region}/lts');
  }
  if (day !== sdkDate.slice(0, 8)) {
    throw new GatewayRefusal(
      `the credential date ${/^\d{8}$/.test(day) ? day : '(not YYYYMMDD)'} is not the day of X-Sdk-Date ${sdkDate.slice(0, 8)}`,
    );
  }
  if (scopeRegion !== region) {
    throw new GatewayRefusal(
      `the credential region ${scopeRegion} is not this endpoint's region ${region}`,
    );
  }
  if (service !== 'lts') {
    throw new GatewayRefusal(`the credential service ${service} is not lts`);
  }
}

/** Constant-time comparison of two lowercase hex signatures, as the signers write them (anything else does not match). */
function sameSignature(received: string, expected: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(received)) return false;
  return timingSafeEqual(Buffer.from(received, 'hex'), Buffer.from(expected, 'hex'));
}

/** Constant-time comparison of texts of any length: their digests have the same length. */
function sameText(received: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(received), digest(expected));
}
