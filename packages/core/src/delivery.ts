import type { Batch } from './batch.ts';

/**
 * The sender's state of one batch on its way to LTS: attempts made, whether
 * a refused credential was renewed for it, its compressed body, and what can
 * interrupt it (a wait before the next attempt, a request in flight).
 */
export class Delivery {
  /** Attempts made so far. */
  attempts = 0;
  /** Whether a 401 already led to a credential renewal for this batch. */
  credentialRenewed = false;
  /** The gzip-compressed body, made for the first attempt and reused by retries. */
  compressed: Buffer | undefined;
  private wake: (() => void) | undefined;
  /** Whether the current wait is a retry's backoff (which {@link retryNow} may cut short). */
  private backingOff = false;
  private abortController: AbortController | undefined;

  constructor(readonly batch: Batch) {}

  /** Whether it is waiting (for a retry or the rate limiter), not on the wire: it may be dropped. */
  get waiting(): boolean {
    return this.wake !== undefined;
  }

  /**
   * Sleeps unless interrupted; false when the batch was settled meanwhile. A
   * retry's backoff (`backoff`) ends early on {@link retryNow}; a wait for
   * the rate limiter does not.
   */
  sleep(ms: number, backoff = false): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.backingOff = false;
        resolve(!this.batch.settled);
      };
      this.backingOff = backoff;
      // Unreferenced: a retry alone does not keep the process alive (the exit drain does, within its bound).
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
    });
  }

  /** A signal for one request, aborted by {@link interrupt}. */
  requestSignal(): AbortSignal {
    this.abortController = new AbortController();
    return this.abortController.signal;
  }

  /** The request is over. */
  requestDone(): void {
    this.abortController = undefined;
  }

  /** Ends a retry's backoff now: the app is shutting down or flushing, or LTS answered again. */
  retryNow(): void {
    if (this.backingOff) this.wake?.();
  }

  /** The batch was settled elsewhere (dropped): end its wait, abort its request. */
  interrupt(): void {
    this.wake?.();
    this.abortController?.abort();
  }
}
