import type { ExitSignal } from './exit-signals.ts';

/** One log record handed to the client. */
export interface LogRecord {
  /** The log line exactly as it should appear in LTS. Must not be empty. */
  content: string;
  /** Epoch time in nanoseconds. Defaults to now. Takes precedence over `timeMs`. */
  timeNs?: bigint | undefined;
  /** Epoch time in milliseconds (may be fractional), for sources that only have milliseconds. */
  timeMs?: number | undefined;
  /** Labels for this record, merged over the client's static `labels`. Records with different labels never share a request. */
  labels?: Readonly<Record<string, string>> | undefined;
  /**
   * The record was cut before it reached the client (an adapter bounding a
   * line's length): its size in UTF-8 bytes before the cut. The client ends
   * the content with its visible marker, `…[truncated by logtank: N bytes]`,
   * naming this size (cutting more if the record is still too large for a
   * request) and counts it in `stats().truncated`.
   */
  originalBytes?: number | undefined;
}

/**
 * Which LTS report API the client posts to: `'standard'` (one base time per
 * request), `'high-accuracy'` (a time per record), or `'batch'` (the producer
 * route Huawei's own SDKs use: a time per record, AK/SK signed, needs `region`).
 */
export type LtsApi = 'standard' | 'high-accuracy' | 'batch';

/** What to drop when the buffer bound is reached. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/** Retry limits for retryable failures (429, 5xx, timeouts, resets, refused connections). */
export interface RetryOptions {
  /** Attempts per batch, the first included. Default 10. */
  maxAttempts?: number | undefined;
  /** Base of the exponential backoff with full jitter, in ms. Default 100. */
  baseDelayMs?: number | undefined;
  /** Longest wait between two attempts, in ms. Default 30,000. */
  maxDelayMs?: number | undefined;
}

/** Client-side limits that keep one log stream under the LTS service limits. */
export interface RateLimitOptions {
  /** Requests per second. Default 500 (the LTS per-stream limit). */
  requestsPerSecond?: number | undefined;
  /** Request body bytes per second. Default 100,000,000 (the LTS per-stream limit). */
  bytesPerSecond?: number | undefined;
}

/** TLS settings for HTTPS endpoints. Verification is on unless `rejectUnauthorized` is `false`. */
export interface TlsOptions {
  /** Extra CA certificates (PEM) trusted in addition to Node's root store, e.g. the CA of a private access point. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** The name to verify the server certificate against (and to send as SNI) when the endpoint is an IP address. */
  servername?: string | undefined;
  /** `false` turns certificate verification off. Insecure: a warning is emitted once per process. Default `true`. */
  rejectUnauthorized?: boolean | undefined;
}

/** Password login at IAM (`POST /v3/auth/tokens`), with a cached token renewed ahead of expiry and on 401. */
export interface IamOptions {
  /** IAM endpoint. Default `https://iam.{region}.myhuaweicloud.com` with `region`, else `https://iam.myhuaweicloud.com`. */
  endpoint?: string | undefined;
  /** Region of the IAM endpoint, e.g. `cn-north-4`. */
  region?: string | undefined;
  /** The account (domain) name. */
  domainName: string;
  /** The IAM user name. */
  userName: string;
  /** The IAM user's password. Never logged or included in errors. */
  password: string;
  /** Project id for the token's scope. Default: the client's `projectId`. */
  projectId?: string | undefined;
  /** Project name for the token's scope (e.g. `cn-north-4`), instead of `projectId`. */
  projectName?: string | undefined;
}

/** Returns the token to send; called when none is cached and again after LTS rejected one (401). */
export type TokenProvider = () => string | Promise<string>;

/** A permanent access key pair (AK/SK), or a temporary one with its security token. */
export interface AccessKeyOptions {
  /** The access key id (AK). */
  id: string;
  /** The secret access key (SK). Never logged or included in errors. */
  secret: string;
  /** The security token of a temporary key (sent as `X-Security-Token`, signed). Never logged. */
  securityToken?: string | undefined;
}

/** An access key as an {@link AccessKeyProvider} returns it. */
export interface AccessKey extends AccessKeyOptions {
  /** When a temporary key stops working (a Date, ISO text or epoch ms): the provider is called again before then. */
  expiresAt?: Date | string | number | undefined;
}

/**
 * Returns the access key to sign with: called at start, again before the
 * key's `expiresAt`, and once after LTS refused a signature (401). One call is
 * shared by concurrent requests.
 */
export type AccessKeyProvider = () => AccessKey | Promise<AccessKey>;

/** Temporary keys of the instance's agency from the ECS/CCE metadata service. */
export interface EcsMetadataOptions {
  /** The metadata service. Default `http://169.254.169.254` (never reached through a proxy). */
  endpoint?: string | undefined;
}

/** Why records were dropped. */
export type DropReason =
  /** The buffer bound was reached (see `overflow`). */
  | 'buffer-full'
  /** LTS answered 400 (or another non-retryable 4xx): the request cannot succeed as it is. */
  | 'rejected'
  /** LTS answered 401 and no fresh credentials could be had. */
  | 'unauthorized'
  /** A single record too large for the endpoint (413 even alone). */
  | 'too-large'
  /** Retryable failures went on past `retry.maxAttempts`. */
  | 'retries-exhausted'
  /** TLS verification failed: retrying cannot help. */
  | 'tls'
  /** `close()` or the flush at natural exit ran out of time. */
  | 'close-timeout'
  /** The process exited with records still in memory. */
  | 'process-exit'
  /** `send()` after `close()`. */
  | 'closed'
  /** The record had no content (LTS refuses empty lines). */
  | 'empty'
  /** The record could not be encoded at all (its content could not be turned into a string). */
  | 'invalid'
  /** The disk spool was full: its oldest segment made room for newer records. */
  | 'spool-full';

/** A report that records were dropped. */
export interface DropEvent {
  reason: DropReason;
  /** How many records. */
  count: number;
  /** What happened, for a human; never contains the token. */
  message: string;
  /** The dropped records' contents, so they can be written somewhere else. */
  contents: string[];
  /** The error behind the drop, if there was one. */
  error?: Error;
}

/** A snapshot of the client's counters. Always `delivered + dropped + buffered + spooled === sent + recovered` (without a spool: `delivered + dropped + buffered === sent`). */
export interface ClientStats {
  /** Records passed to `send()`. */
  sent: number;
  /** Records LTS accepted (200). */
  delivered: number;
  /** Records dropped, all reasons. */
  dropped: number;
  /** Records this client wrote to the disk spool. */
  spooled: number;
  /** Records this client read back from the disk spool (to deliver, or dropped when the spool was full). */
  recovered: number;
  /** Records dropped, by reason. */
  droppedByReason: Record<DropReason, number>;
  /** Records not yet delivered or dropped: batching, queued, in flight or waiting to retry. */
  buffered: number;
  /** Bytes counted against `maxBufferBytes`. */
  bufferedBytes: number;
  /** Requests in flight right now. */
  inFlightRequests: number;
  /** Requests sent (every attempt). */
  requests: number;
  /** Attempts that were retries. */
  retries: number;
  /** Batches split in halves after a 413. */
  splits: number;
  /** Records ended with the truncation marker: cut to fit `maxBatchBytes`, or cut by an adapter (`originalBytes`). */
  truncated: number;
  /**
   * Successful credential renewals: tokens or access keys obtained after the
   * first one (ahead of expiry or after a 401). Failed attempts do not count.
   */
  tokenRenewals: number;
  /** Records whose labels were replaced by the static labels because `maxLabelSets` was reached. */
  labelSetOverflows: number;
  /** Records whose time was too far from now for LTS (which drops such lines) and was replaced by now. */
  timesReplaced: number;
  /** Time, in ms, that a producer honouring `backpressure()` was asked to pause, in total. */
  pausedMs: number;
  /**
   * Dropped records that the `'stderr'` fallback did not write because stderr
   * was not keeping up (over 1 MiB already waiting): they are counted in
   * `dropped` as usual and said in a `fallback-full` warning, but not printed.
   */
  fallbackSkipped: number;
}

/** An optional disk spool for what cannot be delivered in time. */
export interface SpoolOptions {
  /**
   * Directory of the spool segments; created if missing (mode 0700: records
   * may carry personal data), an existing one keeps its mode. Segments are
   * 0600. Several processes may share it.
   */
  dir: string;
  /** Bound on the directory's size in bytes; the oldest segments go (and are counted) beyond it. Default 256 MiB. */
  maxBytes?: number | undefined;
}

/** Where dropped records go besides `onDrop`: `'stderr'` writes each one there, a function receives them. */
export type Fallback = 'stderr' | 'none' | ((contents: string[], reason: DropReason) => void);

/** Options of the LTS client. The same object is accepted by every logtank adapter. */
export interface LtsClientOptions {
  /** `https://{access-point-ip}:8102` (or `http://` for the emulator and proxies). Env `LTS_ENDPOINT`. */
  endpoint?: string | undefined;
  /** 32-character project id. Env `LTS_PROJECT_ID`. */
  projectId?: string | undefined;
  /** 36-character log group id. Env `LTS_LOG_GROUP_ID`. */
  logGroupId?: string | undefined;
  /** 36-character log stream id. Env `LTS_LOG_STREAM_ID`. */
  logStreamId?: string | undefined;
  /** A static IAM token. Env `LTS_TOKEN`. */
  token?: string | undefined;
  /** Supplies tokens instead of `token`. */
  tokenProvider?: TokenProvider | undefined;
  /** Logs in at IAM instead of `token`. */
  iam?: IamOptions | undefined;
  /** Signs every request with this access key (AK/SK). Env `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`. */
  accessKey?: AccessKeyOptions | undefined;
  /** Supplies (temporary) access keys to sign with. Not in pino's worker mode: functions cannot cross threads. */
  accessKeyProvider?: AccessKeyProvider | undefined;
  /** Signs with the temporary keys of the ECS/CCE instance's agency, from the metadata service. */
  ecsMetadata?: true | EcsMetadataOptions | undefined;
  /** The region, e.g. `cn-north-4`: needed by `api: 'batch'`. Env `HUAWEICLOUD_SDK_REGION`. */
  region?: string | undefined;
  /** Static labels on every request. */
  labels?: Readonly<Record<string, string>> | undefined;
  /** `'standard'` (default), `'high-accuracy'` (a time per record) or `'batch'` (the producer route; AK/SK and `region`). */
  api?: LtsApi | undefined;
  /** `'gzip'` compresses request bodies; `high-accuracy` and `batch` APIs only. Default `'none'`. */
  compression?: 'none' | 'gzip' | undefined;
  /** Records per request at most. Default 4,096. */
  maxBatchRecords?: number | undefined;
  /** Request body bytes (UTF-8, before compression) at most. Default 512 KiB. */
  maxBatchBytes?: number | undefined;
  /** How long a batch waits for more records, in ms. Default 1,000. */
  lingerMs?: number | undefined;
  /** Bound on bytes not yet delivered. Default 64 MiB. */
  maxBufferBytes?: number | undefined;
  /** Which records go when the buffer is full. Default `'drop-newest'`. */
  overflow?: OverflowPolicy | undefined;
  /** Retry limits. */
  retry?: RetryOptions | undefined;
  /** Per-request timeout in ms. Default 10,000. */
  timeoutMs?: number | undefined;
  /** Requests in flight or waiting to retry at once. Default 8. */
  maxConcurrency?: number | undefined;
  /** How long `close()` may take, in ms. Default 5,000. */
  closeTimeoutMs?: number | undefined;
  /** Client-side request and byte rates. Default: the LTS per-stream limits. */
  rateLimit?: RateLimitOptions | undefined;
  /** HTTPS settings. */
  tls?: TlsOptions | undefined;
  /**
   * A forward proxy for LTS and IAM traffic (`http://proxy.example:3128`,
   * credentials in the URL are sent as Basic auth), or `false` to ignore the
   * environment. Default: `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (and lower
   * case) as curl reads them. The metadata service is never reached through a proxy.
   */
  proxy?: string | false | undefined;
  /** Distinct label sets batched separately at most. Default 256. */
  maxLabelSets?: number | undefined;
  /**
   * Called for every failed attempt and every problem; never receives a
   * secret. Default: a rate-limited process warning. Returning `false` hands
   * the error back to that default (an adapter with nobody listening does).
   */
  onError?: ((error: Error) => unknown) | undefined;
  /**
   * Called when records are dropped. Default: a rate-limited process warning.
   * Returning `false` hands the event back to that default.
   */
  onDrop?: ((event: DropEvent) => unknown) | undefined;
  /** Saves to disk what cannot be delivered (outage longer than the buffer, close timeout, process exit) and replays it later. */
  spool?: SpoolOptions | undefined;
  /** Dropped records are written here. Default: `'stderr'`, or `'none'` when `onDrop` is given. */
  fallback?: Fallback | undefined;
  /**
   * Signals that would end the process at once (Node's default, losing what
   * is buffered), on which the client first delivers, within
   * `closeTimeoutMs`, then lets the same signal end the process (exit status
   * 143 for SIGTERM, as before). Only when the app has no listener of its
   * own for that signal: an app that handles it decides how the process
   * ends. A second signal ends the process at once (what is left goes to the
   * spool or the fallback, reported). Main thread only: worker threads get
   * no signals. `false` for none. Default: `['SIGTERM', 'SIGINT']`
   * (Kubernetes, Docker and systemd stop with SIGTERM; Ctrl-C sends SIGINT).
   */
  signals?: readonly ExitSignal[] | false | undefined;
}
