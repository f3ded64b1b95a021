import { LtsTokenError } from './errors.ts';
import { HttpOrigin } from './http.ts';
import { type IamToken, iamLogin } from './iam.ts';
import type { ResolvedOptions, TokenSourceOptions } from './options.ts';

/** Where request tokens come from. */
export interface TokenSource {
  /** A token to send now. Rejects with {@link LtsTokenError} when none can be had. */
  get(): Promise<string>;
  /** LTS refused `token` (401). Returns whether a different token may be had by calling `get()` again. */
  reject(token: string): boolean;
  /** Tokens fetched after the first one. */
  readonly renewals: number;
  /** Releases connections. */
  destroy(): Promise<void>;
}

/** Builds the token source the options ask for. */
export function createTokenSource(options: ResolvedOptions): TokenSource {
  return tokenSourceFor(options.token, options);
}

function tokenSourceFor(source: TokenSourceOptions, options: ResolvedOptions): TokenSource {
  switch (source.kind) {
    case 'static':
      return new StaticTokenSource(source.token);
    case 'provider':
      return new ProviderTokenSource(source.provider);
    case 'iam': {
      const http = new HttpOrigin(source.iam.endpoint, {
        tls: options.tls,
        timeoutMs: options.timeoutMs,
        connections: 1,
      });
      return new RenewingTokenSource(
        () => iamLogin(http, source.iam),
        source.iam.renewBeforeExpiryMs,
        () => http.destroy(),
      );
    }
  }
}

class StaticTokenSource implements TokenSource {
  readonly renewals = 0;
  private readonly token: Promise<string>;

  constructor(token: string) {
    this.token = Promise.resolve(token);
  }

  get(): Promise<string> {
    return this.token;
  }

  reject(): boolean {
    return false;
  }

  async destroy(): Promise<void> {}
}

/** Caches what the provider returns; asks again only after a 401. One call at a time. */
class ProviderTokenSource implements TokenSource {
  renewals = 0;
  private cached: string | undefined;
  private pending: Promise<string> | undefined;
  private calls = 0;

  constructor(private readonly provider: () => string | Promise<string>) {}

  get(): Promise<string> {
    if (this.cached !== undefined) return Promise.resolve(this.cached);
    this.pending ??= this.call().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  reject(token: string): boolean {
    if (this.cached === token) this.cached = undefined;
    return true;
  }

  async destroy(): Promise<void> {}

  private async call(): Promise<string> {
    if (this.calls++ > 0) this.renewals += 1;
    let token: unknown;
    try {
      token = await this.provider();
    } catch (error) {
      throw new LtsTokenError(
        `tokenProvider failed: ${error instanceof Error ? error.message : 'it threw a non-Error value'}`,
        true,
        error,
      );
    }
    if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) {
      throw new LtsTokenError(
        `tokenProvider must return a non-empty token without spaces or control characters; it returned ${typeof token === 'string' ? 'an unusable string' : `a ${typeof token}`}`,
        true,
      );
    }
    this.cached = token;
    return token;
  }
}

/** Caches a token with an expiry, renews it ahead of time in the background, and shares one renewal. */
class RenewingTokenSource implements TokenSource {
  renewals = 0;
  private cached: (IamToken & { renewAtMs: number }) | undefined;
  private pending: Promise<IamToken> | undefined;
  private logins = 0;

  constructor(
    private readonly login: () => Promise<IamToken>,
    private readonly renewBeforeExpiryMs: number,
    readonly destroy: () => Promise<void>,
  ) {}

  async get(): Promise<string> {
    const current = this.cached;
    const time = Date.now();
    if (current !== undefined && time < current.expiresAtMs) {
      if (time >= current.renewAtMs) {
        // Still valid: renew in the background and keep using it meanwhile.
        this.renew().catch(() => {});
      }
      return current.token;
    }
    return (await this.renew()).token;
  }

  reject(token: string): boolean {
    if (this.cached?.token === token) this.cached = undefined;
    return true;
  }

  private renew(): Promise<IamToken> {
    this.pending ??= (async () => {
      if (this.logins++ > 0) this.renewals += 1;
      try {
        const obtainedAtMs = Date.now();
        const token = await this.login();
        // Renew ahead of expiry, but never sooner than three quarters into a short lifetime.
        const margin = Math.min(this.renewBeforeExpiryMs, (token.expiresAtMs - obtainedAtMs) / 4);
        this.cached = { ...token, renewAtMs: token.expiresAtMs - margin };
        return token;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
}
