import { createHash, randomBytes } from 'node:crypto';
import type { SecretRedactor } from './redaction.ts';
import type { TokenSpecification } from './types.ts';

interface TokenState {
  expiresAtMs: number;
  remainingRequests: number;
}

/** A token the registry knows, by fingerprint only (for the console and `GET /_emulator/faults`). */
export interface TokenSummary {
  /** The token's fingerprint, as the request log's `tokenId`. */
  tokenId: string;
  /** Whether it is refused now (expired on purpose, by time or by its request count). */
  expired: boolean;
}

/** Tokens presented while any token is accepted are remembered (so they can be expired), up to this many. */
const maximumRememberedTokens = 10_000;

/** A realistic IAM token: "MII" and 1,200 more base64url characters. */
export function generateToken(): string {
  return `MII${randomBytes(900).toString('base64url')}`;
}

/** A short fingerprint for logs: tokens themselves are never printed. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/**
 * Which X-Auth-Tokens are accepted. When the emulator was given tokens, only
 * known ones are; otherwise any non-empty token is, except those expired on
 * purpose (fault injection works in both modes).
 */
export class TokenRegistry {
  private readonly states = new Map<string, TokenState>();
  private readonly byFingerprint = new Map<string, string>();

  /** `secrets` learns every token remembered, so that nothing shown can carry one. */
  constructor(
    readonly checking: boolean,
    private readonly secrets?: SecretRedactor,
  ) {}

  /** Accepts a token (`generated`: one the emulator made, e.g. by the IAM stand-in). */
  add(specification: string | TokenSpecification, generated = false): void {
    const { token, expiresAt, maxRequests } =
      typeof specification === 'string'
        ? { token: specification, expiresAt: undefined, maxRequests: undefined }
        : specification;
    this.remember(
      token,
      {
        expiresAtMs: expiresAt === undefined ? Number.POSITIVE_INFINITY : epochMs(expiresAt),
        remainingRequests: maxRequests ?? Number.POSITIVE_INFINITY,
      },
      generated,
    );
  }

  /** The token with this fingerprint, when the registry knows it. */
  tokenOf(tokenId: string): string | undefined {
    return this.byFingerprint.get(tokenId);
  }

  /** The known tokens, by fingerprint (never the token). */
  summaries(): TokenSummary[] {
    const nowMs = Date.now();
    return [...this.byFingerprint].map(([tokenId, token]) => {
      const state = this.states.get(token)!;
      return { tokenId, expired: nowMs >= state.expiresAtMs || state.remainingRequests <= 0 };
    });
  }

  /** Makes a token stop working at a time or after a number of further requests. */
  expire(token: string, when: { at?: Date | number | string; afterRequests?: number }): void {
    const state = this.states.get(token) ?? {
      expiresAtMs: Number.POSITIVE_INFINITY,
      remainingRequests: Number.POSITIVE_INFINITY,
    };
    if (when.at !== undefined) state.expiresAtMs = epochMs(when.at);
    if (when.afterRequests !== undefined) state.remainingRequests = when.afterRequests;
    if (when.at === undefined && when.afterRequests === undefined) state.expiresAtMs = Date.now();
    this.remember(token, state);
  }

  /** Expires every token known so far (given, issued, and those presented while any token is accepted). */
  expireAll(when: { at?: Date | number | string; afterRequests?: number }): void {
    for (const token of this.states.keys()) this.expire(token, when);
  }

  /** Why the token is refused, or undefined when it is accepted (which uses one of its requests). */
  check(token: string | undefined): string | undefined {
    if (token === undefined || token === '') return 'X-Auth-Token is missing.';
    const state = this.states.get(token);
    if (state === undefined) {
      if (this.checking) return 'The token is invalid.';
      if (this.states.size < maximumRememberedTokens) {
        this.remember(token, {
          expiresAtMs: Number.POSITIVE_INFINITY,
          remainingRequests: Number.POSITIVE_INFINITY,
        });
      }
      return undefined;
    }
    if (Date.now() >= state.expiresAtMs) return 'The token has expired.';
    if (state.remainingRequests <= 0) return 'The token has expired.';
    state.remainingRequests -= 1;
    return undefined;
  }

  private remember(token: string, state: TokenState, generated = false): void {
    if (!this.states.has(token)) {
      this.byFingerprint.set(tokenFingerprint(token), token);
      this.secrets?.add(token, generated);
    }
    this.states.set(token, state);
  }
}

/** A time as epoch ms; an ISO string (as JSON carries a date) counts too. */
function epochMs(value: Date | number | string): number {
  return typeof value === 'string' ? Date.parse(value) : Number(value);
}
