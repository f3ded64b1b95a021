/** A bad option, found at construction. `option` names the field, e.g. `retry.maxAttempts`. */
export class LtsOptionsError extends TypeError {
  override name = 'LtsOptionsError';
  /** The option at fault, as a path (`tls.ca`, `labels.env`). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`logtank: option ${option} ${message}`);
    this.option = option;
  }
}

/** What LTS or the network did to one request. Never carries the token. */
export class LtsDeliveryError extends Error {
  override name = 'LtsDeliveryError';
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
  }
}

/**
 * No credentials could be had: an access key provider failed, the ECS/CCE
 * metadata service did not answer. Never carries a secret (SK, security
 * token, metadata token, token or password).
 */
export class LtsCredentialError extends Error {
  override name = 'LtsCredentialError';
  /** Whether waiting and asking again may help (network trouble, a 5xx). */
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.retryable = retryable;
  }
}

/** No token could be had (provider failed, IAM login failed). Never carries the token or password. */
export class LtsTokenError extends LtsCredentialError {
  override name = 'LtsTokenError';
}
