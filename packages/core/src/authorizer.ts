import { webcrypto } from 'node:crypto';
import { createAccessKeySource, type SigningCredential } from './access-keys.ts';
import type { CredentialProvider } from './credential-provider.ts';
import type { ResolvedOptions } from './options.ts';
import type { Secrets } from './redaction.ts';
import { sdkDate, sdkHmacAuthorization, v11Authorization } from './request-signing.ts';
import { createTokenSource, type Token } from './tokens.ts';

/** One attempt's request, as far as authentication is concerned. */
export interface AttemptRequest {
  path: string;
  /** The headers that describe the body (content-type, content-encoding…). */
  headers: Readonly<Record<string, string>>;
  /** The body bytes as sent. */
  body: Buffer;
}

/** The headers that authenticate one attempt, and the credential behind them. */
export interface Authorization {
  headers: Record<string, string>;
  credential: object;
}

/** Authenticates requests: a token header, or a signature made for each attempt. */
export interface RequestAuthorizer {
  /** Whether requests are signed with an access key (the server's clock then matters). */
  readonly signs: boolean;
  /** What to call the credential in messages. */
  readonly describes: string;
  /** Every header of the attempt, authentication included. Rejects with `LtsCredentialError`. */
  authorize(request: AttemptRequest): Promise<Authorization>;
  /** LTS refused `credential` (401): whether another may be had. */
  reject(credential: object): boolean;
  /** Whether a refused credential can be renewed at all (a fixed token or key cannot). */
  readonly renews: boolean;
  readonly renewals: number;
  destroy(): Promise<void>;
}

/** The authorizer the options ask for. */
export function createAuthorizer(options: ResolvedOptions, secrets: Secrets): RequestAuthorizer {
  const source = options.credentials;
  switch (source.kind) {
    case 'static':
    case 'provider':
    case 'iam':
      return new TokenAuthorizer(createTokenSource(source, options, secrets));
    case 'access-key':
    case 'access-key-provider':
    case 'ecs-metadata':
      return new SigningAuthorizer(createAccessKeySource(source, secrets), options);
  }
}

class TokenAuthorizer implements RequestAuthorizer {
  readonly signs = false;
  readonly describes = 'the token';

  constructor(private readonly tokens: CredentialProvider<Token>) {}

  get renews(): boolean {
    return this.tokens.renews;
  }

  get renewals(): number {
    return this.tokens.renewals;
  }

  async authorize(request: AttemptRequest): Promise<Authorization> {
    const token = await this.tokens.get();
    return { headers: { ...request.headers, 'x-auth-token': token.token }, credential: token };
  }

  reject(credential: object): boolean {
    return this.tokens.reject(credential as Token);
  }

  destroy(): Promise<void> {
    return this.tokens.destroy();
  }
}

/**
 * Signs each attempt afresh (a retry gets a new `X-Sdk-Date`): SDK-HMAC-SHA256
 * on the report routes, with the host and `X-Project-Id` signed as Huawei's
 * SDKs sign them; V11-HMAC-SHA256 on the producer route, signing what
 * Huawei's LTS producer signs. A temporary key's `X-Security-Token` is signed
 * on both.
 */
class SigningAuthorizer implements RequestAuthorizer {
  readonly signs = true;
  readonly describes = 'the access key';
  private readonly host: string;

  constructor(
    private readonly keys: CredentialProvider<SigningCredential>,
    private readonly options: Pick<ResolvedOptions, 'api' | 'endpoint' | 'projectId' | 'region'>,
  ) {
    this.host = options.endpoint.host;
  }

  get renews(): boolean {
    return this.keys.renews;
  }

  get renewals(): number {
    return this.keys.renewals;
  }

  async authorize(request: AttemptRequest): Promise<Authorization> {
    const key = await this.keys.get();
    // Hashed by WebCrypto on libuv's pool: a large batch's SHA-256 then costs the app's thread nothing.
    const bodyHash = Buffer.from(await webcrypto.subtle.digest('SHA-256', request.body)).toString(
      'hex',
    );
    const producer = this.options.api === 'batch';
    const headers: Record<string, string> = { ...request.headers };
    if (!producer) {
      headers.host = this.host;
      headers['x-project-id'] = this.options.projectId;
    }
    headers['x-sdk-date'] = sdkDate(new Date());
    if (key.securityToken !== undefined) headers['x-security-token'] = key.securityToken;
    const signable = { method: 'POST', path: request.path, headers, body: request.body, bodyHash };
    headers.authorization = producer
      ? v11Authorization(signable, key, this.options.region!)
      : sdkHmacAuthorization(signable, key);
    return { headers, credential: key };
  }

  reject(credential: object): boolean {
    return this.keys.reject(credential as SigningCredential);
  }

  destroy(): Promise<void> {
    return this.keys.destroy();
  }
}
