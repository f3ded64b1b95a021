import type { Emulator } from '@logtank/emulator';

/** A key with the security token that makes it a temporary one, and when it expires (ISO text). */
export interface TemporaryKey {
  id: string;
  secret: string;
  securityToken: string;
  expiresAt: string;
}

/**
 * A temporary key from the emulator's metadata stand-in, fetched as an
 * ECS/CCE agency hands it out (a session token first, then the key).
 */
export async function temporaryKey(emulator: Emulator): Promise<TemporaryKey> {
  const tokenResponse = await fetch(`${emulator.metadataUrl}/meta-data/latest/api/token`, {
    method: 'PUT',
    headers: { 'x-metadata-token-ttl-seconds': '600' },
  });
  const response = await fetch(`${emulator.metadataUrl}/openstack/latest/securitykey`, {
    headers: { 'x-metadata-token': await tokenResponse.text() },
  });
  const { credential } = (await response.json()) as {
    credential: { access: string; secret: string; securitytoken: string; expires_at: string };
  };
  return {
    id: credential.access,
    secret: credential.secret,
    securityToken: credential.securitytoken,
    expiresAt: credential.expires_at,
  };
}
