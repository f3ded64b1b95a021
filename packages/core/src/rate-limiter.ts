/**
 * Two token buckets (requests and bytes per second) with one second of burst.
 * `reserve` always succeeds and says how long to wait, so callers queue in order.
 */
export class RateLimiter {
  private requestTokens: number;
  private byteTokens: number;
  private updatedAt: number;

  constructor(
    private readonly requestsPerSecond: number,
    private readonly bytesPerSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.requestTokens = requestsPerSecond;
    this.byteTokens = bytesPerSecond;
    this.updatedAt = clock();
  }

  /** Takes one request and `bytes` from the buckets; returns the ms to wait before sending. */
  reserve(bytes: number): number {
    this.refill();
    this.requestTokens -= 1;
    this.byteTokens -= bytes;
    const requestWait =
      this.requestTokens >= 0 ? 0 : (-this.requestTokens / this.requestsPerSecond) * 1000;
    const byteWait = this.byteTokens >= 0 ? 0 : (-this.byteTokens / this.bytesPerSecond) * 1000;
    return Math.ceil(Math.max(requestWait, byteWait));
  }

  private refill(): void {
    const current = this.clock();
    const elapsedSeconds = (current - this.updatedAt) / 1000;
    if (!(elapsedSeconds > 0)) return;
    this.updatedAt = current;
    this.requestTokens = Math.min(
      this.requestsPerSecond,
      this.requestTokens + elapsedSeconds * this.requestsPerSecond,
    );
    this.byteTokens = Math.min(
      this.bytesPerSecond,
      this.byteTokens + elapsedSeconds * this.bytesPerSecond,
    );
  }
}
