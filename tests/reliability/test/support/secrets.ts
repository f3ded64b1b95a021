import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { safeJsonStringify } from '@logtank/core';

/** The token every fault run authenticates with: realistic (MII + base64url), unique per process. */
export const secretToken = `MII${randomBytes(900).toString('base64url')}`;

/** The IAM password of the token-expiry runs. */
export const iamPassword = `Reliability-IAM-pw-${randomBytes(12).toString('hex')}`;

/** The secret (SK) of the access key runs: 40 letters and digits, as Huawei's. */
export const accessKeySecret = randomBytes(60)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, '')
  .slice(0, 40);

/** The security token of the access key runs (a temporary key's): long base64, as Huawei's. */
export const securityToken = `gQ${randomBytes(900).toString('base64')}`;

/** Every fixed secret of the suite. */
export const suiteSecrets: readonly string[] = [
  secretToken,
  iamPassword,
  accessKeySecret,
  securityToken,
];

/** Pieces that must never show: the whole secret would be missed if only a part leaked. */
function needles(secret: string): string[] {
  const size = 32;
  const middle = Math.floor(secret.length / 2);
  return secret.length <= size
    ? [secret]
    : [secret.slice(3, 3 + size), secret.slice(middle, middle + size), secret.slice(-size)];
}

/** A header that carries a credential, printed with its value. */
const credentialHeader =
  /(x-auth-token|x-subject-token|x-security-token|x-metadata-token|authorization)["']?\s*[:=]\s*["']?[A-Za-z0-9_\-.+/]{16,}/i;

/**
 * Everything a run showed the outside world: child stdout and stderr, error
 * and drop events (with their causes), stats, process warnings. Scanned for
 * the secrets when the test ends.
 */
export class Transcript {
  private readonly parts: string[] = [];
  /** Runs and events added, for the figures. */
  entries = 0;

  /** Adds text, or an error / event / object in every form an app might print it. */
  add(value: unknown): void {
    this.entries += 1;
    if (typeof value === 'string') {
      this.parts.push(value);
      return;
    }
    this.parts.push(inspect(value, { depth: 10, showHidden: false }));
    this.parts.push(safeJsonStringify(value));
    if (value instanceof Error) this.parts.push(String(value), value.stack ?? '');
  }

  get text(): string {
    return this.parts.join('\n');
  }

  get bytes(): number {
    return this.parts.reduce((total, part) => total + part.length, 0);
  }

  /** Secret strings (or credential headers) found in the transcript; empty when clean. */
  leaks(secrets: readonly string[] = suiteSecrets): string[] {
    const text = this.text;
    const found: string[] = [];
    for (const secret of secrets) {
      for (const needle of needles(secret)) {
        const at = text.indexOf(needle);
        if (at !== -1) found.push(`…${text.slice(Math.max(0, at - 80), at)}<SECRET>`);
      }
    }
    const header = credentialHeader.exec(text);
    if (header !== null) found.push(`credential header: ${header[0].slice(0, 30)}…`);
    return found;
  }

  clear(): void {
    this.parts.length = 0;
    this.entries = 0;
  }
}
