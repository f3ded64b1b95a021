import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Authorization, RequestAuthorizer } from './authorizer.ts';
import type { Batch } from './batch.ts';
import { clockSkewNote } from './clock-skew.ts';
import { LtsCredentialError, LtsDeliveryError } from './errors.ts';
import type { HttpOrigin } from './http.ts';
import type { Ledger } from './ledger.ts';
import { describeForeignAnswer, describeResponse, isLtsSuccess } from './lts-answer.ts';
import type { ResolvedOptions } from './options.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { Reporter } from './reporter.ts';
import {
  type AttemptVerdict,
  backoffDelayMs,
  parseRetryAfter,
  verdictForError,
  verdictForStatus,
} from './retry.ts';
import { version } from './version.ts';

const gzipAsync = promisify(gzip);
const userAgent = `logtank/${version} node/${process.versions.node}`;

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
   * admitted on an estimate): restores the bound, dropping `batch` itself if
   * nothing else can go; false when it did.
   */
  overBound: (batch: Batch) => boolean;
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
  private readonly active = new Set<Batch>();
  private retryWaits = 0;

  /** The headers that describe a body, by whether it is compressed (the producer route has its own). */
  private readonly plainHeaders: Record<string, string>;
  private readonly compressedHeaders: Record<string, string>;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly parts: SenderParts,
  ) {
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
    return [...this.queue, ...this.active];
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
    for (const batch of this.active) {
      if (batch.state === 'waiting' && (oldest === undefined || batch.sequence < oldest.sequence)) {
        oldest = batch;
      }
    }
    return oldest;
  }

  /** The newest batch not yet started (to drop it); undefined when none waits in the queue. */
  takeNewest(): Batch | undefined {
    return this.queue.at(-1);
  }

  /** Stops work on a batch that was just settled elsewhere (dropped): dequeue, wake or abort it. */
  cancel(batch: Batch): void {
    const index = this.queue.indexOf(batch);
    if (index !== -1) this.queue.splice(index, 1);
    batch.wake?.();
    batch.abortController?.abort();
  }

  async destroy(): Promise<void> {
    await Promise.all([this.parts.http.destroy(), this.parts.authorizer.destroy()]);
  }

  private pump(): void {
    while (this.active.size < this.options.maxConcurrency && this.queue.length > 0) {
      const batch = this.queue.shift()!;
      this.active.add(batch);
      this.run(batch).finally(() => {
        this.active.delete(batch);
        this.pump();
      });
    }
  }

  private async run(batch: Batch): Promise<void> {
    try {
      await this.deliver(batch);
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

  private async deliver(batch: Batch): Promise<void> {
    const { ledger } = this.parts;
    for (;;) {
      const wait = this.parts.limiter.reserve(batch.bytes);
      if (wait > 0 && !(await this.sleep(batch, wait))) return;

      let body: Buffer = batch.body!;
      if (this.options.compression === 'gzip') {
        batch.compressed ??= await gzipAsync(body, { level: constants.Z_BEST_SPEED });
        if (batch.settled) return;
        body = batch.compressed;
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
        batch.attempts += 1;
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
            batch,
            { action: 'retry', reason: credentialError.message },
            credentialError,
          ))
        )
          return;
        continue;
      }
      if (batch.settled) return;

      const verdict = await this.attempt(batch, authorization.headers, body);
      if (batch.settled) return;
      switch (verdict.action) {
        case 'delivered':
          ledger.deliver(batch);
          this.parts.onDelivered();
          return;
        case 'renew-token':
          if (!batch.tokenRenewed && this.parts.authorizer.reject(authorization.credential)) {
            batch.tokenRenewed = true;
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
          if (!(await this.retryLater(batch, verdict))) return;
      }
    }
  }

  /** One request; the outcome as a verdict. Reports failures to `onError`. */
  private async attempt(
    batch: Batch,
    authorized: Record<string, string>,
    body: Buffer,
  ): Promise<AttemptVerdict> {
    const { ledger, http, reporter } = this.parts;
    const headers = { ...authorized, 'user-agent': userAgent };
    batch.attempts += 1;
    if (batch.attempts > 1) ledger.retries += 1;
    ledger.requests += 1;
    ledger.inFlightRequests += 1;
    batch.state = 'sending';
    batch.abortController = new AbortController();
    let verdict: AttemptVerdict;
    let status: number | undefined;
    let errorCode: string | undefined;
    let cause: unknown;
    try {
      const response = await http.post(
        this.options.reportPath,
        headers,
        body,
        batch.abortController.signal,
      );
      status = response.status;
      if (status < 200 || status >= 400 || (status < 300 && isLtsSuccess(response))) {
        const described = status < 300 ? { message: '' } : describeResponse(response);
        errorCode = described.errorCode;
        verdict = verdictForStatus(status, described.message);
      } else {
        // A 2xx that is not LTS's answer, or a redirect: a failed attempt, retried.
        verdict = { action: 'retry', reason: describeForeignAnswer(response) };
      }
      if (verdict.action === 'renew-token' && this.parts.authorizer.signs) {
        const note = clockSkewNote(response);
        if (note !== undefined) verdict.reason = `${verdict.reason}; ${note}`;
      }
      if (verdict.action === 'retry') {
        const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
        if (retryAfterMs !== undefined) verdict.retryAfterMs = retryAfterMs;
      }
    } catch (error) {
      cause = error;
      verdict = verdictForError(error);
    } finally {
      ledger.inFlightRequests -= 1;
      batch.abortController = undefined;
    }
    if (verdict.action !== 'delivered' && !batch.settled) {
      const retryable =
        verdict.action === 'retry' && batch.attempts < this.options.retry.maxAttempts;
      const outcome =
        verdict.action === 'retry'
          ? retryable
            ? 'will retry'
            : 'giving up'
          : verdict.action === 'renew-token'
            ? this.parts.authorizer.renews && !batch.tokenRenewed
              ? `renewing ${this.parts.authorizer.describes}`
              : 'not retried'
            : verdict.action === 'split'
              ? 'splitting the batch'
              : 'not retried';
      reporter.error(
        new LtsDeliveryError(
          `LTS request with ${batch.count} records failed (attempt ${batch.attempts} of ${this.options.retry.maxAttempts}, ${outcome}): ${verdict.reason}`,
          {
            records: batch.count,
            retryable,
            ...(status === undefined ? {} : { status }),
            ...(errorCode === undefined ? {} : { errorCode }),
            ...(cause === undefined ? {} : { cause }),
          },
        ),
      );
    }
    return verdict;
  }

  /** Waits out the backoff; false when the batch was settled meanwhile or attempts are used up. */
  private async retryLater(
    batch: Batch,
    verdict: Extract<AttemptVerdict, { action: 'retry' }>,
    error?: Error,
  ): Promise<boolean> {
    const { retry } = this.options;
    if (batch.attempts >= retry.maxAttempts) {
      this.parts.ledger.dropBatch(
        batch,
        'retries-exhausted',
        `gave up on ${batch.count} records after ${batch.attempts} attempts; last: ${verdict.reason}`,
        error,
      );
      return false;
    }
    const jitter = backoffDelayMs(batch.attempts, retry);
    const delay =
      verdict.retryAfterMs === undefined
        ? jitter
        : Math.min(retry.maxDelayMs, Math.max(jitter, verdict.retryAfterMs));
    this.retryWaits += 1;
    this.parts.onRetryWait();
    try {
      return await this.sleep(batch, delay);
    } finally {
      this.retryWaits -= 1;
    }
  }

  /** Sleeps unless woken; false when the batch was settled meanwhile. */
  private sleep(batch: Batch, ms: number): Promise<boolean> {
    batch.state = 'waiting';
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        batch.wake = undefined;
        if (!batch.settled) batch.state = 'queued';
        resolve(!batch.settled);
      };
      // Unreferenced: a retry alone does not keep the process alive (the exit drain does, within its bound).
      const timer = setTimeout(done, ms);
      timer.unref();
      batch.wake = done;
    });
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
      !this.parts.overBound(batch)
    ) {
      return [];
    }
    if (bytes > this.options.maxBatchBytes && batch.count > 1) {
      return this.split(batch).flatMap((half) => this.prepare(half));
    }
    batch.state = 'queued';
    return [batch];
  }

  /** Halves of a batch, accounted for in the ledger; the emptied parent settles through them. */
  private split(batch: Batch): Batch[] {
    const { ledger } = this.parts;
    const before = batch.bytes;
    const halves = batch.split(this.parts.nextSequence);
    ledger.splits += 1;
    ledger.resize(halves[0].bytes + halves[1].bytes - before);
    batch.state = 'queued';
    return halves;
  }
}
