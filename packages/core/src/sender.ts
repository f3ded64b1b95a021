import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Authorization, RequestAuthorizer } from './authorizer.ts';
import type { Batch } from './batch.ts';
import { Delivery } from './delivery.ts';
import { LtsCredentialError } from './errors.ts';
import type { HttpOrigin } from './http.ts';
import type { Ledger } from './ledger.ts';
import type { ResolvedOptions } from './options.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Reporter } from './reporter.ts';
import { type AttemptContext, attemptRequest } from './request-attempt.ts';
import { type AttemptVerdict, backoffDelayMs } from './retry.ts';

const gzipAsync = promisify(gzip);

/** What the sender needs besides the options. */
export interface SenderParts {
  http: HttpOrigin;
  authorizer: RequestAuthorizer;
  ledger: Ledger;
  reporter: Reporter;
  limiter: RateLimiter;
  /** A fresh batch sequence number (splits make new batches). */
  nextSequence: () => number;
  /** Tells the accumulator how much encoding grew a batch's records. */
  observeEncoding: (rawBytes: number, encodedBytes: number) => void;
  /**
   * Encoding made the buffer larger than `maxBufferBytes` (records are
   * admitted on an estimate): the buffer bound restores itself, dropping
   * `batch` if nothing else can go; false when it did.
   */
  restoreBound: (batch: Batch) => boolean;
  /** LTS accepted a batch. */
  onDelivered: () => void;
  /** A batch starts waiting to retry after a failure. */
  onRetryWait: () => void;
}

/**
 * Sends sealed batches: at most `maxConcurrency` at a time (a batch waiting to
 * retry keeps its slot, so an outage does not turn into a request storm),
 * through the rate limiter, with the LTS retry table.
 */
export class Sender {
  private readonly queue: Batch[] = [];
  /** Batches started and not yet settled, with their delivery state. */
  private readonly active = new Map<Batch, Delivery>();
  private retryWaits = 0;
  /** Shutting down (close, the flush at natural exit): backoffs are kept short. */
  private hurrying = false;
  private readonly attempt: AttemptContext;

  /** The headers that describe a body, by whether it is compressed (the producer route has its own). */
  private readonly plainHeaders: Record<string, string>;
  private readonly compressedHeaders: Record<string, string>;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly parts: SenderParts,
  ) {
    this.attempt = {
      http: parts.http,
      authorizer: parts.authorizer,
      ledger: parts.ledger,
      reporter: parts.reporter,
      path: options.reportPath,
      maxAttempts: options.retry.maxAttempts,
    };
    const producer = options.api === 'batch';
    this.plainHeaders = {
      'content-type': producer ? 'application/json' : 'application/json;charset=UTF-8',
    };
    this.compressedHeaders = {
      ...this.plainHeaders,
      'content-encoding': 'gzip',
      // Huawei's LTS producer marks its compressed bodies so.
      ...(producer ? { 'x-access-type': 'terminal' } : {}),
    };
  }

  /** Whether a batch is waiting to retry after a failure: LTS is not taking records now. */
  failing(): boolean {
    return this.retryWaits > 0;
  }

  /** Batches sealed but not yet started, and those started but not settled. */
  pending(): Batch[] {
    return [...this.queue, ...this.active.keys()];
  }

  /** Encodes a sealed batch (splitting it if it turns out too large) and queues it. */
  enqueue(batch: Batch): void {
    for (const ready of this.prepare(batch)) this.queue.push(ready);
    this.pump();
  }

  /**
   * Removes the oldest batch that is not on the wire (waiting to retry or
   * queued) so the caller can drop it; undefined when every batch is in flight.
   */
  takeOldest(): Batch | undefined {
    let oldest: Batch | undefined = this.queue[0];
    for (const [batch, delivery] of this.active) {
      if (delivery.waiting && (oldest === undefined || batch.sequence < oldest.sequence)) {
        oldest = batch;
      }
    }
    return oldest;
  }

  /** The newest batch not yet started (to drop it); undefined when none waits in the queue. */
  takeNewest(): Batch | undefined {
    return this.queue.at(-1);
  }

  /**
   * Cuts short every retry's backoff: at shutdown and flush (a wait that
   * outlasts closeTimeoutMs would drop a batch LTS may take now) and when LTS
   * answers again after an outage.
   */
  retryNow(): void {
    for (const delivery of this.active.values()) delivery.retryNow();
  }

  /**
   * The client is shutting down (`on`) or no longer (`off`): backoffs end now
   * and, until then, wait at most a tenth of `closeTimeoutMs` (a few tries a
   * second per batch at most), so a batch that fails during the shutdown is
   * tried again until the shutdown's deadline.
   */
  hurry(on: boolean): void {
    this.hurrying = on;
    if (on) this.retryNow();
  }

  /** Stops work on a batch that was just settled elsewhere (dropped): dequeue, wake or abort it. */
  cancel(batch: Batch): void {
    const index = this.queue.indexOf(batch);
    if (index !== -1) this.queue.splice(index, 1);
    this.active.get(batch)?.interrupt();
  }

  async destroy(): Promise<void> {
    await Promise.all([this.parts.http.destroy(), this.parts.authorizer.destroy()]);
  }

  private pump(): void {
    while (this.active.size < this.options.maxConcurrency && this.queue.length > 0) {
      const batch = this.queue.shift()!;
      const delivery = new Delivery(batch);
      this.active.set(batch, delivery);
      this.run(delivery).finally(() => {
        this.active.delete(batch);
        this.pump();
      });
    }
  }

  private async run(delivery: Delivery): Promise<void> {
    const { batch } = delivery;
    try {
      await this.deliver(delivery);
    } catch (error) {
      // Not expected: every known failure is handled in deliver(). Never lose the records silently.
      this.parts.ledger.dropBatch(
        batch,
        'invalid',
        `unexpected failure while sending ${batch.count} records: ${error instanceof Error ? error.message : String(error)}`,
        error instanceof Error ? error : undefined,
      );
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { ledger } = this.parts;
    const { batch } = delivery;
    for (;;) {
      const wait = this.parts.limiter.reserve(batch.bytes);
      if (wait > 0 && !(await delivery.sleep(wait))) return;

      let body: Buffer = batch.body!;
      if (this.options.compression === 'gzip') {
        delivery.compressed ??= await gzipAsync(body, { level: constants.Z_BEST_SPEED });
        if (batch.settled) return;
        body = delivery.compressed;
      }

      // Authorized afresh for every attempt: a signature carries its time.
      let authorization: Authorization;
      try {
        authorization = await this.parts.authorizer.authorize({
          path: this.options.reportPath,
          headers: body === batch.body ? this.plainHeaders : this.compressedHeaders,
          body,
        });
      } catch (error) {
        const credentialError =
          error instanceof LtsCredentialError
            ? error
            : new LtsCredentialError(String(error), true, error);
        delivery.attempts += 1;
        this.parts.reporter.error(credentialError);
        if (!credentialError.retryable) {
          ledger.dropBatch(
            batch,
            'unauthorized',
            `${batch.count} records: ${credentialError.message}`,
            credentialError,
          );
          return;
        }
        if (
          !(await this.retryLater(
            delivery,
            { action: 'retry', reason: credentialError.message },
            credentialError,
          ))
        )
          return;
        continue;
      }
      if (batch.settled) return;

      const verdict = await attemptRequest(this.attempt, delivery, authorization.headers, body);
      if (batch.settled) return;
      switch (verdict.action) {
        case 'delivered':
          ledger.deliver(batch);
          this.parts.onDelivered();
          // LTS answers again: batches backing off from the outage go now.
          this.retryNow();
          return;
        case 'renew-token':
          if (
            !delivery.credentialRenewed &&
            this.parts.authorizer.reject(authorization.credential)
          ) {
            delivery.credentialRenewed = true;
            continue;
          }
          ledger.dropBatch(
            batch,
            'unauthorized',
            `LTS refused ${this.parts.authorizer.describes} for ${batch.count} records (${verdict.reason}) and no fresh one could be had`,
          );
          return;
        case 'split':
          if (batch.count > 1) {
            // The halves go first: they are older than anything queued.
            this.queue.unshift(...this.split(batch).flatMap((half) => this.prepare(half)));
            return;
          }
          ledger.dropBatch(
            batch,
            'too-large',
            `a single record is too large for LTS (${verdict.reason})`,
          );
          return;
        case 'drop':
          ledger.dropBatch(
            batch,
            verdict.dropReason,
            verdict.dropReason === 'tls'
              ? `TLS verification failed for ${this.options.endpoint.origin} (${verdict.reason}); trust its CA with tls.ca, or set tls.servername to the name in its certificate`
              : `LTS rejected ${batch.count} records: ${verdict.reason}`,
          );
          return;
        case 'retry':
          if (!(await this.retryLater(delivery, verdict))) return;
      }
    }
  }

  /** Waits out the backoff; false when the batch was settled meanwhile or attempts are used up. */
  private async retryLater(
    delivery: Delivery,
    verdict: Extract<AttemptVerdict, { action: 'retry' }>,
    error?: Error,
  ): Promise<boolean> {
    const { retry } = this.options;
    const { batch, attempts } = delivery;
    // retry.maxAttempts holds during a shutdown too; only the backoff is shortened.
    if (attempts >= retry.maxAttempts) {
      this.parts.ledger.dropBatch(
        batch,
        'retries-exhausted',
        `gave up on ${batch.count} records after ${attempts} attempts; last: ${verdict.reason}`,
        error,
      );
      return false;
    }
    const jitter = backoffDelayMs(attempts, retry);
    const wanted =
      verdict.retryAfterMs === undefined
        ? jitter
        : Math.min(retry.maxDelayMs, Math.max(jitter, verdict.retryAfterMs));
    const delay = this.hurrying ? Math.min(wanted, this.options.closeTimeoutMs / 10) : wanted;
    this.retryWaits += 1;
    this.parts.onRetryWait();
    try {
      return await delivery.sleep(delay, true);
    } finally {
      this.retryWaits -= 1;
    }
  }

  /**
   * Encodes the batch; one that turns out larger than `maxBatchBytes` (the
   * size estimate fell short) is split until every part fits.
   */
  private prepare(batch: Batch): Batch[] {
    const { ledger } = this.parts;
    const estimate = batch.bytes;
    const bytes = batch.encode();
    ledger.resize(bytes - estimate);
    this.parts.observeEncoding(batch.rawBytes, bytes - batch.group.envelopeBytes);
    if (
      !batch.admitted &&
      ledger.bufferedBytes > this.options.maxBufferBytes &&
      !this.parts.restoreBound(batch)
    ) {
      return [];
    }
    if (bytes > this.options.maxBatchBytes && batch.count > 1) {
      return this.split(batch).flatMap((half) => this.prepare(half));
    }
    return [batch];
  }

  /** Halves of a batch, accounted for in the ledger; the emptied parent settles through them. */
  private split(batch: Batch): Batch[] {
    const { ledger } = this.parts;
    const before = batch.bytes;
    const halves = batch.split(this.parts.nextSequence);
    ledger.splits += 1;
    ledger.resize(halves[0].bytes + halves[1].bytes - before);
    return halves;
  }
}
