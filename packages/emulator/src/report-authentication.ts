import type { AccessKeyRegistry } from './access-keys.ts';
import { errorCodes, GatewayRefusal, Refusal } from './responses.ts';
import { type HeaderValues, headerValue } from './signature.ts';
import {
  maskedAccessKeyId,
  parseAuthorization,
  type SignedRequest,
  type VerificationContext,
  verifySignature,
} from './signature-verification.ts';
import { type TokenRegistry, tokenFingerprint } from './tokens.ts';
import type { ReportApi, RequestCredential } from './types.ts';

/** Everything a report request may be authenticated against. */
export interface ReportAuthenticationContext extends VerificationContext {
  tokens: TokenRegistry;
}

/**
 * The credential a request presents, before it is checked, for the request
 * log (also of requests a fault answers first). A signed request counts as
 * an access key until its AK is known to be temporary.
 */
export function presentedCredential(
  headers: HeaderValues,
  keys: AccessKeyRegistry,
): RequestCredential | undefined {
  const authorization = headerValue(headers, 'authorization');
  const parsed = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (parsed !== undefined && !('malformed' in parsed)) {
    const kind = keys.kindOf(parsed.accessKeyId);
    return {
      kind: kind ?? 'access-key',
      // An AK the emulator does not know may be anything (an SK pasted in its place, a token):
      // only its first characters show, as in the gateway's `ak:ABCD****`.
      id: kind === undefined ? maskedAccessKeyId(parsed.accessKeyId) : parsed.accessKeyId,
      algorithm: parsed.algorithm,
    };
  }
  const token = headerValue(headers, 'x-auth-token');
  return token ? { kind: 'token', id: tokenFingerprint(token) } : undefined;
}

/**
 * Authenticates a report request: the contents routes take an X-Auth-Token
 * or an SDK-HMAC-SHA256 signature, the producer route (`batch`) only a
 * V11-HMAC-SHA256 signature. Returns the credential used; throws a
 * {@link Refusal} (LTS body, for tokens) or a {@link GatewayRefusal} (APIGW
 * body, for signatures).
 */
export function authenticateReport(
  api: ReportApi,
  request: SignedRequest,
  context: ReportAuthenticationContext,
): RequestCredential {
  const authorization = headerValue(request.headers, 'authorization');
  const token = headerValue(request.headers, 'x-auth-token');
  const parsed = authorization === undefined ? undefined : parseAuthorization(authorization);
  if (api === 'batch' && parsed?.algorithm !== 'V11-HMAC-SHA256') {
    const sent =
      parsed !== undefined
        ? `got ${parsed.algorithm}`
        : token
          ? 'X-Auth-Token is not accepted here'
          : 'none was sent';
    throw new GatewayRefusal(
      `the batch-contents route needs an Authorization: V11-HMAC-SHA256 signature; ${sent}`,
    );
  }
  if (parsed === undefined) {
    // Only a header of another scheme (no token to fall back on) is the gateway's to refuse.
    if (authorization !== undefined && !token) {
      throw new GatewayRefusal(
        'the Authorization header must be an SDK-HMAC-SHA256 signature (or send X-Auth-Token)',
      );
    }
    const refused = context.tokens.check(token);
    if (refused !== undefined) throw new Refusal(401, errorCodes.unauthorized, refused);
    return { kind: 'token', id: tokenFingerprint(token!) };
  }
  if ('malformed' in parsed) throw new GatewayRefusal(parsed.malformed);
  if (api !== 'batch' && parsed.algorithm !== 'SDK-HMAC-SHA256') {
    throw new GatewayRefusal(
      `${parsed.algorithm} is accepted only on the batch-contents route; sign this route with SDK-HMAC-SHA256`,
    );
  }
  return verifySignature(parsed, request, context);
}
