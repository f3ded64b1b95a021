/**
 * Every default of the client in one place, with the reason for its value.
 * The README's configuration reference is written from this object.
 */
export const defaults = {
  /** The reference endpoint; `high-accuracy` carries a time per record. */
  api: 'standard',
  /** LTS and the official SDKs cap a batch at 4,096 logs. */
  maxBatchRecords: 4096,
  /** 512 KiB per request: at the per-stream limit of 500 requests/s this still carries 100 MB/s. */
  maxBatchBytes: 512 * 1024,
  /** How long the first record of a batch waits for company before the batch is sent. */
  lingerMs: 1000,
  /** A hard bound on everything not yet delivered (queued, in flight, waiting to retry). */
  maxBufferBytes: 64 * 1024 * 1024,
  /** When the buffer is full, keep what is already queued and refuse the new record. */
  overflow: 'drop-newest',
  retry: {
    /** Attempts per batch, the first one included. */
    maxAttempts: 10,
    /** Full-jitter exponential backoff starts here... */
    baseDelayMs: 100,
    /** ...and never waits longer than this between attempts. */
    maxDelayMs: 30_000,
  },
  /** Per request: waiting for the connection and for the response. */
  timeoutMs: 10_000,
  /**
   * Requests in flight or waiting to retry at once. In-process, a request
   * moves on only between the app's turns of the event loop, so fewer lets
   * an app logging at full speed outrun delivery (bench/NOTES.md, "Figures
   * behind the code"). Still far below LTS's 500 requests/s, and an outage
   * holds at most 8 batches retrying.
   */
  maxConcurrency: 8,
  /** `close()` and the flush at natural exit give up (and report the rest as dropped) after this. */
  closeTimeoutMs: 5000,
  rateLimit: {
    /** LTS accepts at most 500 write requests per second per log stream. */
    requestsPerSecond: 500,
    /** ...and at most 100 MB/s per log stream; beyond it logs may be lost. */
    bytesPerSecond: 100 * 1000 * 1000,
  },
  /** Distinct label sets batched separately; records beyond it keep only the static labels. */
  maxLabelSets: 256,
  /**
   * Dropped records the stderr fallback may leave queued for a slow stderr
   * (a busy container runtime, `| tee`) in this process, beside
   * `maxBufferBytes`; records past it are not written (`stats().fallbackSkipped`).
   */
  fallbackQueueBytes: 1024 * 1024,
  /**
   * Delivered on before the process ends, when the app does not handle them:
   * SIGTERM is how Kubernetes, Docker and systemd stop a process, SIGINT is Ctrl-C.
   */
  signals: ['SIGTERM', 'SIGINT'] as readonly ('SIGTERM' | 'SIGINT')[],
  /** Disk spool bound: enough for minutes of heavy logging, small next to any disk. */
  spoolMaxBytes: 256 * 1024 * 1024,
  iam: {
    /** The global IAM endpoint; `iam.region` selects `https://iam.{region}.myhuaweicloud.com`. */
    endpoint: 'https://iam.myhuaweicloud.com',
    /** Renew a token this long before it expires (tokens live 24 h). */
    renewBeforeExpiryMs: 60 * 60 * 1000,
  },
  /** Where `ecsMetadata: true` reads the agency's temporary keys: the metadata service of every ECS instance (and CCE node). */
  ecsMetadata: { endpoint: 'http://169.254.169.254' },
  credentials: {
    /**
     * Ask for a new temporary key this long before the current one expires.
     * ECS/CCE agency keys live an hour and the metadata service hands out the
     * next one 10 minutes before the end, so 5 minutes finds the new key.
     */
    accessKeyRenewBeforeExpiryMs: 5 * 60 * 1000,
    /** Off ECS the metadata address does not answer: give up quickly, as Huawei's SDKs do (3 s). */
    metadataTimeoutMs: 3000,
    /** Lifetime asked for a metadata token (the service's maximum, 6 h). */
    metadataTokenTtlSeconds: 21_600,
  },
} as const;
