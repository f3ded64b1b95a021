/** A credential with the moment it stops working (`Infinity` when it has none). */
export interface Expiring {
  expiresAtMs: number;
}

/** Where credentials come from: a fixed one, or one renewed ahead of expiry and after a 401. */
export interface CredentialProvider<T> {
  /** The credential to use now. Rejects with an `LtsCredentialError` when none can be had. */
  get(): Promise<T>;
  /** The server refused `value` (401). Returns whether another may be had by calling `get()` again. */
  reject(value: T): boolean;
  /** Whether another credential can be had after a 401. */
  readonly renews: boolean;
  /**
   * Successful renewals: credentials obtained after the first one (ahead of
   * expiry, or after a 401). Failed attempts (the source did not answer, or
   * refused) are not counted.
   */
  readonly renewals: number;
  /** Releases connections. */
  destroy(): Promise<void>;
}

/** A credential that never changes: a static token or access key. */
export class FixedCredential<T> implements CredentialProvider<T> {
  readonly renews = false;
  readonly renewals = 0;
  private readonly value: Promise<T>;

  constructor(value: T) {
    this.value = Promise.resolve(value);
  }

  get(): Promise<T> {
    return this.value;
  }

  reject(): boolean {
    return false;
  }

  async destroy(): Promise<void> {}
}

/**
 * Caches a fetched credential (a token, an access key), fetches a new one
 * ahead of expiry in the background while the current one keeps working,
 * drops it when the server refused it, and shares one fetch between
 * concurrent requests.
 */
export class RenewingCredential<T extends Expiring> implements CredentialProvider<T> {
  readonly renews = true;
  renewals = 0;
  private cached: { value: T; renewAtMs: number } | undefined;
  private pending: Promise<T> | undefined;
  /** Credentials obtained so far (failed fetches are not counted). */
  private obtained = 0;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly renewBeforeExpiryMs: number,
    readonly destroy: () => Promise<void> = async () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<T> {
    const current = this.cached;
    const time = this.now();
    if (current !== undefined && time < current.value.expiresAtMs) {
      // Still valid: renew in the background and keep using it meanwhile.
      if (time >= current.renewAtMs) this.renew().catch(() => {});
      return current.value;
    }
    return this.renew();
  }

  reject(value: T): boolean {
    if (this.cached?.value === value) this.cached = undefined;
    return true;
  }

  private renew(): Promise<T> {
    this.pending ??= (async () => {
      try {
        const fetchedAtMs = this.now();
        const value = await this.fetch();
        // Only a credential obtained counts: a failed fetch renewed nothing.
        if (this.obtained++ > 0) this.renewals += 1;
        // Renew ahead of expiry, but never sooner than three quarters into a
        // short lifetime: a source that hands back the same credential again
        // is asked again later, not in a loop.
        const margin = Math.min(this.renewBeforeExpiryMs, (value.expiresAtMs - fetchedAtMs) / 4);
        this.cached = { value, renewAtMs: value.expiresAtMs - margin };
        return value;
      } finally {
        this.pending = undefined;
      }
    })();
    return this.pending;
  }
}
