/*
 * The errors a user can catch or receive. Each has a stable `code`, and each
 * is recognised by `instanceof` across copies of this package (an ESM app
 * whose log4js loads the CommonJS build runs two): instances carry a brand
 * under a registered symbol, and the classes test for it, as undici does.
 */

const brand = Symbol.for('@logtank/core.error');

interface Branded {
  [brand]?: readonly string[];
}

/** Brands `instance` with the names of every logtank error class it is an instance of. */
function stamp(instance: object, newTarget: unknown): void {
  const names: string[] = [];
  let current: unknown = newTarget;
  while (typeof current === 'function') {
    if (Object.hasOwn(current, 'brandName')) {
      names.push((current as unknown as { brandName: string }).brandName);
    }
    current = Object.getPrototypeOf(current);
  }
  Object.defineProperty(instance, brand, { value: Object.freeze(names) });
}

function hasBrand(value: unknown, name: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Branded)[brand]?.includes(name) === true
  );
}

/** A bad option, found at construction. `option` names the field, e.g. `retry.maxAttempts`. */
export class LtsOptionsError extends TypeError {
  static readonly brandName = 'LtsOptionsError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'LtsOptionsError');
  }
  override name = 'LtsOptionsError';
  /** Always `'LTS_OPTIONS'`. */
  readonly code = 'LTS_OPTIONS';
  /**
   * The option at fault, as a path (`tls.ca`, `labels.env`), or
   * `credentials` when no credential option (nor its environment variables) is given.
   */
  readonly option: string;
  /** What is wrong with it, without the `logtank: option …` prefix (a CLI can name its flag instead). */
  readonly detail: string;

  /** @param message the whole message, when `logtank: option <option> <detail>` does not read well */
  constructor(option: string, detail: string, message = `logtank: option ${option} ${detail}`) {
    super(message);
    this.option = option;
    this.detail = detail;
    stamp(this, new.target);
  }
}

/** What LTS or the network did to one request. Never carries a secret. */
export class LtsDeliveryError extends Error {
  static readonly brandName = 'LtsDeliveryError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'LtsDeliveryError');
  }
  override name = 'LtsDeliveryError';
  /** Always `'LTS_DELIVERY'`. */
  readonly code = 'LTS_DELIVERY';
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** LTS `errorCode` from the response body, when there was one. */
  readonly errorCode: string | undefined;
  /** Whether the client will try the request again. */
  readonly retryable: boolean;
  /** Records in the request. */
  readonly records: number;

  constructor(
    message: string,
    details: {
      status?: number;
      errorCode?: string;
      retryable: boolean;
      records: number;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.retryable = details.retryable;
    this.records = details.records;
    stamp(this, new.target);
  }
}

/**
 * No credentials could be had: an access key provider failed, the ECS/CCE
 * metadata service did not answer. Never carries a secret (SK, security
 * token, metadata token, token or password).
 */
export class LtsCredentialError extends Error {
  static readonly brandName: string = 'LtsCredentialError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'LtsCredentialError');
  }
  override name = 'LtsCredentialError';
  /** `'LTS_CREDENTIALS'` (`'LTS_TOKEN'` for an {@link LtsTokenError}). */
  readonly code: string = 'LTS_CREDENTIALS';
  /** Whether waiting and asking again may help (network trouble, a 5xx). */
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.retryable = retryable;
    stamp(this, new.target);
  }
}

/** No token could be had (provider failed, IAM login failed). Never carries the token or password. */
export class LtsTokenError extends LtsCredentialError {
  static override readonly brandName = 'LtsTokenError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'LtsTokenError');
  }
  override name = 'LtsTokenError';
  override readonly code = 'LTS_TOKEN';
}

/** The disk spool could not be written or read, or a segment was damaged. Says which file or directory. */
export class LtsSpoolError extends Error {
  static readonly brandName = 'LtsSpoolError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, 'LtsSpoolError');
  }
  override name = 'LtsSpoolError';
  /** Always `'LTS_SPOOL'`. */
  readonly code = 'LTS_SPOOL';
  /** The spool directory or segment file concerned. */
  readonly path: string;

  constructor(message: string, path: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.path = path;
    stamp(this, new.target);
  }
}
