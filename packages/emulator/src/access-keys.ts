import { randomBytes, randomInt } from 'node:crypto';
import type { ConsoleTemporaryKey } from './console-protocol.ts';
import type { SecretRedactor } from './redaction.ts';
import type { AccessKey, CredentialKind } from './types.ts';

const upperAndDigits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const lettersAndDigits = `${upperAndDigits}abcdefghijklmnopqrstuvwxyz`;

/** A temporary key as the metadata service hands it out. */
export interface TemporaryAccessKey extends AccessKey {
  securityToken: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

/** A temporary key without its secrets, for counters, the control API and the console. */
export type TemporaryKeySummary = ConsoleTemporaryKey;

/** The outcome of looking an access key id up. */
export type AccessKeyLookup =
  | { found: true; kind: 'access-key'; secret: string }
  | { found: true; kind: 'temporary-key'; secret: string; securityToken: string }
  | { found: false; reason: string };

interface TemporaryState extends TemporaryAccessKey {
  /** Set when the key was ended before its time (expireKeys, revokeKey). */
  ended?: 'expired' | 'revoked';
}

/** A key of the shape IAM issues: a 20-character AK of uppercase letters and digits, a 40-character SK. */
export function generateAccessKey(): AccessKey {
  return { id: randomText(upperAndDigits, 20), secret: randomText(lettersAndDigits, 40) };
}

/** A security token of realistic length (1,000+ characters of base64), as temporary keys carry. */
export function generateSecurityToken(): string {
  return `gQ${randomBytes(900).toString('base64')}`;
}

/**
 * The access keys the emulator accepts: permanent ones (options and the
 * sample key) and temporary ones (from the metadata stand-in) that work only
 * until they expire or are revoked.
 */
export class AccessKeyRegistry {
  private readonly permanent = new Map<string, string>();
  private readonly temporary = new Map<string, TemporaryState>();

  /** `secrets` learns every SK and security token, so that nothing shown can carry one. */
  constructor(private readonly secrets?: SecretRedactor) {}

  /** Adds a permanent key (`generated`: the emulator's own); throws a TypeError naming `field` when it is malformed. */
  addPermanent(key: AccessKey, field = 'accessKeys', generated = false): void {
    // The AK goes into `Access=…,` and `Credential=…/`: those characters would split it.
    if (typeof key?.id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(key.id)) {
      throw new TypeError(
        `startEmulator: option ${field}.id must be a non-empty string of letters, digits, "-" or "_".`,
      );
    }
    if (typeof key.secret !== 'string' || key.secret === '') {
      throw new TypeError(`startEmulator: option ${field}.secret must be a non-empty string.`);
    }
    this.permanent.set(key.id, key.secret);
    this.secrets?.add(key.secret, generated);
  }

  addTemporary(key: TemporaryAccessKey): void {
    this.temporary.set(key.id, { ...key });
    this.secrets?.add(key.secret, true);
    this.secrets?.add(key.securityToken, true);
  }

  /** The kind of a known key id (whether or not it still works). */
  kindOf(accessKeyId: string): Exclude<CredentialKind, 'token'> | undefined {
    if (this.permanent.has(accessKeyId)) return 'access-key';
    return this.temporary.has(accessKeyId) ? 'temporary-key' : undefined;
  }

  /** The secret of a working key, or why there is none. */
  find(accessKeyId: string, nowMs: number): AccessKeyLookup {
    const secret = this.permanent.get(accessKeyId);
    if (secret !== undefined) return { found: true, kind: 'access-key', secret };
    const key = this.temporary.get(accessKeyId);
    if (key === undefined) return { found: false, reason: 'ak not exist' };
    if (key.ended === 'revoked') return { found: false, reason: 'the temporary key was revoked' };
    if (key.ended === 'expired' || nowMs >= key.expiresAtMs) {
      return { found: false, reason: 'the temporary key has expired' };
    }
    return {
      found: true,
      kind: 'temporary-key',
      secret: key.secret,
      securityToken: key.securityToken,
    };
  }

  /** Ends one temporary key now; false when there is no such temporary key. */
  end(accessKeyId: string, reason: 'expired' | 'revoked'): boolean {
    const key = this.temporary.get(accessKeyId);
    if (key === undefined) return false;
    key.ended ??= reason;
    return true;
  }

  /** Ends every temporary key issued so far. */
  endAll(reason: 'expired' | 'revoked'): void {
    for (const key of this.temporary.keys()) this.end(key, reason);
  }

  /** Every temporary key issued, oldest first, without secrets. */
  temporaryKeys(nowMs: number): TemporaryKeySummary[] {
    return [...this.temporary.values()].map((key) => ({
      accessKeyId: key.id,
      issuedAt: new Date(key.issuedAtMs).toISOString(),
      expiresAt: new Date(key.expiresAtMs).toISOString(),
      state: key.ended ?? (nowMs >= key.expiresAtMs ? 'expired' : 'active'),
    }));
  }
}

function randomText(alphabet: string, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}
