import type { CredentialSource } from './credential-options.ts';
import {
  type CredentialProvider,
  type Expiring,
  FixedCredential,
  RenewingCredential,
} from './credential-provider.ts';
import { LtsTokenError } from './errors.ts';
import { HttpOrigin } from './http.ts';
import { iamLogin } from './iam.ts';
import { withArticle } from './option-validators.ts';
import type { ResolvedOptions } from './options.ts';
import type { Secrets } from './redaction.ts';

/** A token and when it stops working (`Infinity`: until LTS refuses it). */
export interface Token extends Expiring {
  token: string;
}

/** The token source for token credentials (`token`, `tokenProvider`, `iam`). */
export function createTokenSource(
  source: Extract<CredentialSource, { kind: 'static' | 'provider' | 'iam' }>,
  options: ResolvedOptions,
  secrets: Secrets,
): CredentialProvider<Token> {
  switch (source.kind) {
    case 'static':
      return new FixedCredential({ token: source.token, expiresAtMs: Number.POSITIVE_INFINITY });
    case 'provider':
      // Kept until LTS refuses it: a provider's token has no known expiry.
      return new RenewingCredential(async () => {
        const token = await callTokenProvider(source.provider);
        secrets.add(token);
        return { token, expiresAtMs: Number.POSITIVE_INFINITY };
      }, 0);
    case 'iam': {
      const http = new HttpOrigin(source.iam.endpoint, {
        tls: options.tls,
        timeoutMs: options.timeoutMs,
        connections: 1,
        proxy: source.iam.proxy,
      });
      return new RenewingCredential(
        async () => {
          const token = await iamLogin(http, source.iam);
          secrets.add(token.token);
          return token;
        },
        source.iam.renewBeforeExpiryMs,
        () => http.destroy(),
      );
    }
  }
}

async function callTokenProvider(provider: () => string | Promise<string>): Promise<string> {
  let token: unknown;
  try {
    token = await provider();
  } catch (error) {
    throw new LtsTokenError(
      `tokenProvider failed: ${error instanceof Error ? error.message : 'it threw a non-Error value'}`,
      true,
      error,
    );
  }
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
    throw new LtsTokenError(
      `tokenProvider must return a non-empty token without spaces or control characters; it returned ${typeof token === 'string' ? 'an unusable string' : withArticle(typeof token)}`,
      true,
    );
  }
  return token;
}
