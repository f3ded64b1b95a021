import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/rate-limiter.ts';
import {
  backoffDelayMs,
  parseRetryAfter,
  verdictForError,
  verdictForStatus,
} from '../src/retry.ts';

describe('retry table', () => {
  it.each([
    [200, 'delivered'],
    [201, 'delivered'],
    [400, 'drop'],
    [403, 'drop'],
    [404, 'drop'],
    [401, 'renew-token'],
    [413, 'split'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [504, 'retry'],
  ])('status %i means %s', (status, action) => {
    expect(verdictForStatus(status, 'why').action).toBe(action);
  });

  it('retries resets, refusals and timeouts but not TLS verification failures', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(verdictForError(refused)).toMatchObject({
      action: 'retry',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    const timeout = Object.assign(new Error('Headers Timeout Error'), {
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(verdictForError(timeout).action).toBe('retry');
    const selfSigned = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(verdictForError(selfSigned)).toMatchObject({ action: 'drop', dropReason: 'tls' });
    const wrapped = Object.assign(new Error('fetch failed'), {
      code: 'UND_ERR_SOCKET',
      cause: selfSigned,
    });
    expect(verdictForError(wrapped).action).toBe('drop');
  });
});

describe('backoff', () => {
  it('is full jitter under an exponential ceiling capped at maxDelayMs', () => {
    const limits = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(1, limits, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, limits, () => 0.999)).toBe(399);
    expect(backoffDelayMs(10, limits, () => 0.999)).toBe(999);
    expect(backoffDelayMs(60, limits, () => 0.5)).toBe(500);
    expect(backoffDelayMs(4, limits, () => 0)).toBe(0);
    const samples = Array.from({ length: 1000 }, () => backoffDelayMs(4, limits));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(800);
    expect(new Set(samples).size).toBeGreaterThan(100);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2025 00:00:05 GMT', now)).toBe(0);
  });
});

describe('rate limiter', () => {
  it('allows a burst of one second, then spaces requests and bytes', () => {
    let time = 0;
    const limiter = new RateLimiter(2, 1000, () => time);
    expect(limiter.reserve(100)).toBe(0);
    expect(limiter.reserve(100)).toBe(0);
    expect(limiter.reserve(100)).toBe(500);
    time = 2000;
    expect(limiter.reserve(1500)).toBe(500);
    const unlimited = new RateLimiter(
      Number.POSITIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      () => time,
    );
    time = 3000;
    expect(unlimited.reserve(1e12)).toBe(0);
  });
});
