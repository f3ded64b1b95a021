import { defaults } from './defaults.ts';
import { LtsOptionsError } from './errors.ts';
import { integer, number, oneOf, onlyKnownKeys, optionalObject } from './option-validators.ts';
import type { LtsClientOptions, OverflowPolicy, RateLimitOptions, RetryOptions } from './types.ts';

/** When batches go, how much may wait, and how requests are paced and retried. */
export interface ResolvedBatching {
  maxBatchRecords: number;
  maxBatchBytes: number;
  lingerMs: number;
  maxBufferBytes: number;
  overflow: OverflowPolicy;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  maxConcurrency: number;
  closeTimeoutMs: number;
  rateLimit: { requestsPerSecond: number; bytesPerSecond: number };
  maxLabelSets: number;
}

/** Batching, the memory bound, retries, timeouts and rates, with their defaults. */
export function resolveBatching(options: LtsClientOptions): ResolvedBatching {
  const maxBatchBytes = integer('maxBatchBytes', options.maxBatchBytes, defaults.maxBatchBytes, {
    min: 1024,
    max: 64 * 1024 * 1024,
  });
  const maxBufferBytes = integer(
    'maxBufferBytes',
    options.maxBufferBytes,
    defaults.maxBufferBytes,
    { min: 1024, max: Number.MAX_SAFE_INTEGER },
  );
  if (maxBufferBytes < maxBatchBytes) {
    throw new LtsOptionsError(
      'maxBufferBytes',
      `must be at least maxBatchBytes (${maxBatchBytes}); got ${maxBufferBytes}`,
    );
  }

  const retryOptions = optionalObject<RetryOptions>('retry', options.retry) ?? {};
  onlyKnownKeys('retry', retryOptions, ['maxAttempts', 'baseDelayMs', 'maxDelayMs']);
  const baseDelayMs = number(
    'retry.baseDelayMs',
    retryOptions.baseDelayMs,
    defaults.retry.baseDelayMs,
    {
      min: 0,
      max: 3_600_000,
    },
  );
  const maxDelayMs = number(
    'retry.maxDelayMs',
    retryOptions.maxDelayMs,
    defaults.retry.maxDelayMs,
    {
      min: 0,
      max: 3_600_000,
    },
  );
  if (maxDelayMs < baseDelayMs) {
    throw new LtsOptionsError(
      'retry.maxDelayMs',
      `must be at least retry.baseDelayMs (${baseDelayMs}); got ${maxDelayMs}`,
    );
  }

  const rateLimitOptions = optionalObject<RateLimitOptions>('rateLimit', options.rateLimit) ?? {};
  onlyKnownKeys('rateLimit', rateLimitOptions, ['requestsPerSecond', 'bytesPerSecond']);

  return {
    maxBatchRecords: integer('maxBatchRecords', options.maxBatchRecords, defaults.maxBatchRecords, {
      min: 1,
      max: 1_000_000,
    }),
    maxBatchBytes,
    lingerMs: number('lingerMs', options.lingerMs, defaults.lingerMs, { min: 0, max: 3_600_000 }),
    maxBufferBytes,
    overflow: oneOf(
      'overflow',
      options.overflow,
      ['drop-newest', 'drop-oldest'] as const,
      defaults.overflow,
    ),
    retry: {
      maxAttempts: integer(
        'retry.maxAttempts',
        retryOptions.maxAttempts,
        defaults.retry.maxAttempts,
        {
          min: 1,
          max: 1000,
        },
      ),
      baseDelayMs,
      maxDelayMs,
    },
    timeoutMs: number('timeoutMs', options.timeoutMs, defaults.timeoutMs, {
      min: 1,
      max: 3_600_000,
    }),
    maxConcurrency: integer('maxConcurrency', options.maxConcurrency, defaults.maxConcurrency, {
      min: 1,
      max: 256,
    }),
    closeTimeoutMs: number('closeTimeoutMs', options.closeTimeoutMs, defaults.closeTimeoutMs, {
      min: 0,
      max: 3_600_000,
    }),
    rateLimit: {
      requestsPerSecond: number(
        'rateLimit.requestsPerSecond',
        rateLimitOptions.requestsPerSecond,
        defaults.rateLimit.requestsPerSecond,
        { min: 0.001, max: Number.POSITIVE_INFINITY },
      ),
      bytesPerSecond: number(
        'rateLimit.bytesPerSecond',
        rateLimitOptions.bytesPerSecond,
        defaults.rateLimit.bytesPerSecond,
        { min: 1024, max: Number.POSITIVE_INFINITY },
      ),
    },
    maxLabelSets: integer('maxLabelSets', options.maxLabelSets, defaults.maxLabelSets, {
      min: 1,
      max: 100_000,
    }),
  };
}
