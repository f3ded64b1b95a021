import { defaults } from './defaults.ts';
import { LtsCredentialError } from './errors.ts';
import { HttpOrigin, type HttpResponse } from './http.ts';
import { describeResponse } from './lts-answer.ts';
import type { Secrets } from './redaction.ts';
import { describeNetworkError } from './retry.ts';

/** A temporary access key of the instance's agency. */
export interface TemporaryAccessKey {
  id: string;
  secret: string;
  securityToken: string;
  expiresAtMs: number;
}

const tokenPath = '/meta-data/latest/api/token';
const securityKeyPath = '/openstack/latest/securitykey';
/** What the service answers (401) on an instance without an agency. */
const noAgency = 'Please configure Cloud Service Agency first';

/**
 * The ECS/CCE metadata service's temporary keys (spec/API-NOTES.md §6), the
 * way Huawei's SDKs read them: a metadata token first (`PUT …/api/token`;
 * instances without that API answer 404/405 and are read without one), then
 * `GET /openstack/latest/securitykey`. A 401 means a new metadata token is
 * needed, unless it says no agency is attached. Short timeouts: off ECS the
 * address does not answer. Never through a proxy: the connection goes
 * straight to the address.
 */
export class EcsMetadataClient {
  private readonly http: HttpOrigin;
  private metadataToken: string | undefined;
  /** Whether the instance has the metadata-token API (unknown until asked). */
  private tokenApi: boolean | undefined;

  constructor(
    private readonly endpoint: URL,
    private readonly secrets: Secrets,
  ) {
    this.http = new HttpOrigin(endpoint, {
      tls: { ca: undefined, servername: undefined, rejectUnauthorized: true },
      timeoutMs: defaults.credentials.metadataTimeoutMs,
      connections: 1,
    });
  }

  /** The agency's current temporary key. Rejects with {@link LtsCredentialError}. */
  async accessKey(): Promise<TemporaryAccessKey> {
    if (this.tokenApi !== false && this.metadataToken === undefined) await this.renewToken();
    let response = await this.call('GET', securityKeyPath, this.tokenHeader());
    if (response.status === 401 && !response.body.includes(noAgency) && this.tokenApi !== false) {
      await this.renewToken();
      response = await this.call('GET', securityKeyPath, this.tokenHeader());
    }
    if (response.status !== 200) {
      throw new LtsCredentialError(
        response.body.includes(noAgency)
          ? `the ECS/CCE metadata service at ${this.endpoint.origin} says no agency is attached to this instance: attach one with LTS write permission (ECS console → the instance → Agency)`
          : `the ECS/CCE metadata service at ${this.endpoint.origin} refused the temporary key: ${describeResponse(response).message}`,
        response.status >= 500 || response.status === 429,
      );
    }
    return this.parseKey(response.body);
  }

  destroy(): Promise<void> {
    return this.http.destroy();
  }

  private tokenHeader(): Record<string, string> {
    return this.metadataToken === undefined ? {} : { 'x-metadata-token': this.metadataToken };
  }

  private async renewToken(): Promise<void> {
    const response = await this.call('PUT', tokenPath, {
      'x-metadata-token-ttl-seconds': String(defaults.credentials.metadataTokenTtlSeconds),
    });
    if (response.status === 404 || response.status === 405) {
      // An older instance: the keys are read without a metadata token.
      this.tokenApi = false;
      this.metadataToken = undefined;
      return;
    }
    const token = response.body.trim();
    if (response.status !== 200 || token === '') {
      throw new LtsCredentialError(
        `the ECS/CCE metadata service at ${this.endpoint.origin} did not issue a metadata token: ${describeResponse(response).message}`,
        response.status >= 500 || response.status === 429 || response.status === 200,
      );
    }
    this.tokenApi = true;
    this.secrets.add(token);
    this.metadataToken = token;
  }

  private async call(
    method: 'GET' | 'PUT',
    path: string,
    headers: Record<string, string>,
  ): Promise<HttpResponse> {
    try {
      return await this.http.request(method, path, headers);
    } catch (error) {
      throw new LtsCredentialError(
        `the ECS/CCE metadata service at ${this.endpoint.origin} did not answer (${describeNetworkError(error)}): not on ECS/CCE, or no agency attached`,
        true,
        error,
      );
    }
  }

  private parseKey(body: string): TemporaryAccessKey {
    let credential: Record<string, unknown> | undefined;
    try {
      credential = (JSON.parse(body) as { credential?: Record<string, unknown> }).credential;
    } catch {
      credential = undefined;
    }
    const { access, secret, securitytoken, expires_at } = credential ?? {};
    const expiresAtMs = typeof expires_at === 'string' ? Date.parse(expires_at) : Number.NaN;
    if (
      typeof access !== 'string' ||
      typeof secret !== 'string' ||
      typeof securitytoken !== 'string' ||
      access === '' ||
      secret === '' ||
      securitytoken === '' ||
      Number.isNaN(expiresAtMs)
    ) {
      throw new LtsCredentialError(
        `the ECS/CCE metadata service at ${this.endpoint.origin} answered without a usable credential (access, secret, securitytoken, expires_at)`,
        true,
      );
    }
    this.secrets.add(secret);
    this.secrets.add(securitytoken);
    return { id: access, secret, securityToken: securitytoken, expiresAtMs };
  }
}
