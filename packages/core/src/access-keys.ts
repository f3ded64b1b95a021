import type { CredentialSource } from './credential-options.ts';
import {
  type CredentialProvider,
  type Expiring,
  FixedCredential,
  RenewingCredential,
} from './credential-provider.ts';
import { defaults } from './defaults.ts';
import { EcsMetadataClient } from './ecs-metadata.ts';
import { LtsCredentialError } from './errors.ts';
import type { Secrets } from './redaction.ts';

import type { AccessKey, AccessKeyProvider } from './types.ts';

/** An access key to sign with, and when it stops working (`Infinity`: until LTS refuses it). */
export interface SigningCredential extends Expiring {
  id: string;
  secret: string;
  securityToken?: string;
}

/** The access key source for key credentials (`accessKey`, `accessKeyProvider`, `ecsMetadata`). */
export function createAccessKeySource(
  source: Extract<
    CredentialSource,
    { kind: 'access-key' | 'access-key-provider' | 'ecs-metadata' }
  >,
  secrets: Secrets,
): CredentialProvider<SigningCredential> {
  const renewBeforeExpiryMs = defaults.credentials.accessKeyRenewBeforeExpiryMs;
  switch (source.kind) {
    case 'access-key':
      return new FixedCredential({ ...source.key, expiresAtMs: Number.POSITIVE_INFINITY });
    case 'access-key-provider': {
      const keys = new RenewingCredential(async () => {
        const key = await callAccessKeyProvider(source.provider);
        secrets.add(key.secret);
        secrets.add(key.securityToken);
        return key;
      }, renewBeforeExpiryMs);
      // Called at start, so a key is at hand for the first batch and a broken
      // provider is reported early (by the first batch that needs a key).
      keys.get().catch(() => {});
      return keys;
    }
    case 'ecs-metadata': {
      const metadata = new EcsMetadataClient(source.endpoint, secrets);
      return new RenewingCredential(
        () => metadata.accessKey(),
        renewBeforeExpiryMs,
        () => metadata.destroy(),
      );
    }
  }
}

async function callAccessKeyProvider(provider: AccessKeyProvider): Promise<SigningCredential> {
  let key: AccessKey;
  try {
    key = await provider();
  } catch (error) {
    throw new LtsCredentialError(
      `accessKeyProvider failed: ${error instanceof Error ? error.message : 'it threw a non-Error value'}`,
      true,
      error,
    );
  }
  const problem = accessKeyProblem(key);
  if (problem !== undefined) {
    throw new LtsCredentialError(`accessKeyProvider returned an unusable key: ${problem}`, true);
  }
  const expiresAtMs =
    key.expiresAt === undefined ? Number.POSITIVE_INFINITY : epochMs(key.expiresAt);
  return {
    id: key.id,
    secret: key.secret,
    ...(key.securityToken === undefined ? {} : { securityToken: key.securityToken }),
    expiresAtMs,
  };
}

/** What is wrong with a provider's key, without showing any of it. */
function accessKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'object' || key === null) {
    return `expected { id, secret, securityToken?, expiresAt? }; got ${key === null ? 'null' : typeof key}`;
  }
  const { id, secret, securityToken, expiresAt } = key as Record<string, unknown>;
  const headerSafe = (value: unknown) => typeof value === 'string' && /^[\x21-\x7e]+$/.test(value);
  if (!headerSafe(id)) return 'id must be a non-empty string without spaces or control characters';
  if (!headerSafe(secret)) {
    return 'secret must be a non-empty string without spaces or control characters';
  }
  if (securityToken !== undefined && !headerSafe(securityToken)) {
    return 'securityToken must be a non-empty string without spaces or control characters';
  }
  if (
    expiresAt !== undefined &&
    !(expiresAt instanceof Date || typeof expiresAt === 'string' || typeof expiresAt === 'number')
  ) {
    return 'expiresAt must be a Date, an ISO time or epoch milliseconds';
  }
  if (expiresAt !== undefined && Number.isNaN(epochMs(expiresAt as Date | string | number))) {
    return 'expiresAt is not a valid time';
  }
  return undefined;
}

function epochMs(value: Date | string | number): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'string' ? Date.parse(value) : value;
}
