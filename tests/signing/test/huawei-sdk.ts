import { createRequire } from 'node:module';

/*
 * Huawei's own Node.js signer, @huaweicloud/huaweicloud-sdk-core (pinned at
 * 3.1.211, a devDependency of this private package only). It is CommonJS with
 * no `exports` map, so its compiled files are loaded by path.
 *
 * What its auth/AKSKSigner.js does (read in node_modules, 3.1.211):
 * - `X-Sdk-Date` is looked up in `request.headers` under exactly that
 *   spelling; when missing it signs (and returns) the current time instead.
 *   A given date is parsed with moment and formatted again for the string to
 *   sign, while the canonical header keeps the given text.
 * - `host` comes from `url.parse(request.endpoint).host` unless
 *   `request.headers.host` is set; it is always signed.
 * - Every own enumerable key of `request.headers` is signed, values as they
 *   are (not trimmed); names are lowercased. The header lines are sorted with
 *   `localeCompare`, the SignedHeaders list with `_.sortBy` (code units).
 * - The path is `url.parse(endpoint).pathname`, each `/`-segment escaped
 *   byte-wise outside A-Z a-z 0-9 - . _ ~ (so `%` becomes `%25`), `/` appended.
 * - The query is `request.queryParams` only (never the endpoint's), keys and
 *   array values sorted (arrays in place), escaped like the path.
 * - The payload hash is `request.headers['X-Sdk-Content-Sha256']` when that
 *   is truthy, else sha256(JSON.stringify(request.data)) when `data` is
 *   truthy, else the hash of the empty body.
 */

const require = createRequire(import.meta.url);

/** What `AKSKSigner.sign` reads of a request. */
export interface SdkRequest {
  method: string;
  /** The full URL; only its host and pathname are used. */
  endpoint: string;
  headers: Record<string, string>;
  data?: unknown;
  queryParams?: Record<string, string | string[]>;
}

/** The credential interface the signer calls. */
export interface SdkCredential {
  getAk(): string;
  getSk(): string;
}

interface AkskSignerClass {
  sign(request: SdkRequest, credential: SdkCredential): Record<string, string>;
}

interface HkdfClass {
  getDerKeySHA256(accessKey: string, secretKey: string, info: string): string | null;
}

const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as {
  AKSKSigner: AkskSignerClass;
};
const { HKDF } = require('@huaweicloud/huaweicloud-sdk-core/auth/HKDF') as { HKDF: HkdfClass };

/** Signs with Huawei's SDK; returns every header it would send, `Authorization` included. */
export function huaweiSign(
  request: SdkRequest,
  key: { id: string; secret: string },
): Record<string, string> {
  return AKSKSigner.sign(request, { getAk: () => key.id, getSk: () => key.secret });
}

/** The SDK's HKDF-SHA256 derived key (hex), as its DerivedAKSKSigner computes it. */
export function huaweiDerivedKey(accessKey: string, secretKey: string, info: string): string {
  const key = HKDF.getDerKeySHA256(accessKey, secretKey, info);
  if (key === null) throw new Error('the SDK derived no key');
  return key;
}
