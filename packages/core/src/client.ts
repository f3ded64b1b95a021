import { Accumulator } from './accumulator.ts';
import { createAuthorizer, type RequestAuthorizer } from './authorizer.ts';
import { Backpressure, pauseBudgetMs } from './backpressure.ts';
import type { Batch } from './batch.ts';
import { BufferBound } from './buffer-bound.ts';
import { fromMilliseconds, fromNanoseconds, type Instant, maxTimeSkewMs, now } from './clock.ts';
import {
  encodeString,
  flatten,
  truncateToFit,
  utf8Length,
  worstCaseLiteralBytes,
} from './encode.ts';
import { LtsOptionsError } from './errors.ts';
import { type ExitAware, unwatchExit, watchExit } from './exit-hooks.ts';
import { type SignalAware, updateSignalListeners } from './exit-signals.ts';
import { HttpOrigin } from './http.ts';
import type { LabelGroup } from './label-sets.ts';
import { LabelSets } from './label-sets.ts';
import { Ledger } from './ledger.ts';
import { warnAboutOptions } from './option-warnings.ts';
import { type ResolvedOptions, resolveOptions } from './options.ts';
import { RateLimiter } from './rate-limiter.ts';
import { Secrets } from './redaction.ts';
import { Reporter } from './reporter.ts';
import { safeJsonStringify } from './safe-json.ts';
import { Sender } from './sender.ts';
import { SpoolKeeper, type SpoolKeeperParts } from './spool-keeper.ts';
import type { ClientStats, DropReason, LogRecord, LtsClientOptions } from './types.ts';

/** Options of {@link LtsClient.close}. */
export interface CloseOptions {
  /** How long to wait for delivery before dropping the rest. Default: the client's `closeTimeoutMs`. */
  timeoutMs?: number;
}

/**
 * The LTS client: `send()` records, they are batched per label set, encoded,
 * and posted to the LTS report API with retries, within a memory bound.
 *
 * `send()` never throws and never waits. Every record ends delivered or
 * dropped with a reason (`onDrop`, `stats()`). `close()` delivers what is
 * buffered within `closeTimeoutMs`; a process that reaches its natural end
 * does the same on `beforeExit`.
 *
 * @example
 * ```ts
 * const client = new LtsClient({ endpoint, projectId, logGroupId, logStreamId, token });
 * client.send({ content: 'hello', labels: { app: 'api' } });
 * await client.close();
 * ```
 */
export class LtsClient {
  private readonly options: ResolvedOptions;
  private readonly ledger: Ledger;
  private readonly labelSets: LabelSets;
  private readonly accumulator: Accumulator;
  private readonly sender: Sender;
  private readonly authorizer: RequestAuthorizer;
  private readonly highAccuracy: boolean;
  private readonly pacing: Backpressure;
  private readonly bound: BufferBound;
  private closing = false;
  private closed: Promise<void> | undefined;
  private exitDrain: Promise<void> | undefined;
  /** What happens to this client when the process ends. */
  private readonly exitHooks: ExitAware & SignalAware;
  private readonly spoolKeeper: SpoolKeeper | undefined;
  private readonly reporter: Reporter;

  /** Validates the options (throws {@link LtsOptionsError} naming the field) and prepares the connection pool. */
  constructor(options: LtsClientOptions = {}) {
    this.options = resolveOptions(options);
    const resolved = this.options;
    const secrets = secretsOf(resolved);
    const reporter = new Reporter(resolved.onError, resolved.onDrop, secrets);
    this.reporter = reporter;
    this.ledger = new Ledger(reporter, resolved.fallback);
    this.labelSets = new LabelSets(
      resolved.labels,
      resolved.api,
      resolved.maxBatchBytes,
      resolved.maxLabelSets,
      resolved.projectId,
      (group) => this.accumulator.holds(group),
    );
    // The high-accuracy and batch APIs carry a time per record.
    this.highAccuracy = resolved.api !== 'standard';
    this.authorizer = createAuthorizer(resolved, secrets);
    this.accumulator = new Accumulator(resolved, (batch) => this.sender.enqueue(batch));
    this.sender = new Sender(resolved, {
      http: new HttpOrigin(resolved.endpoint, {
        tls: resolved.tls,
        timeoutMs: resolved.timeoutMs,
        connections: resolved.maxConcurrency,
        proxy: resolved.proxy,
      }),
      authorizer: this.authorizer,
      ledger: this.ledger,
      reporter,
      limiter: new RateLimiter(
        resolved.rateLimit.requestsPerSecond,
        resolved.rateLimit.bytesPerSecond,
      ),
      nextSequence: this.accumulator.nextSequence,
      observeEncoding: (rawBytes, encodedBytes) =>
        this.accumulator.observeEncoding(rawBytes, encodedBytes),
      onDelivered: () => this.spoolKeeper?.onDelivered(),
      onRetryWait: () => this.pacing.update(),
      restoreBound: (batch) => this.bound.restore(batch),
    });
    this.bound = new BufferBound(
      resolved.maxBufferBytes,
      resolved.overflow,
      resolved.spool !== undefined,
      this.ledger,
      { accumulator: this.accumulator, sender: this.sender },
    );
    this.pacing = new Backpressure(resolved.maxBufferBytes, pauseBudgetMs, {
      bufferedBytes: () => this.ledger.bufferedBytes,
      failing: () => this.sender.failing(),
      closing: () => this.closing,
      sendOpenBatches: () => this.accumulator.sealAll(),
    });
    this.ledger.onRelease = () => this.pacing.update();
    if (resolved.spool !== undefined) {
      this.spoolKeeper = createSpoolKeeper(resolved, {
        ledger: this.ledger,
        reporter,
        enqueue: (batch) => this.sender.enqueue(batch),
        nextSequence: this.accumulator.nextSequence,
        bufferedBytes: () => this.ledger.bufferedBytes,
      });
      const keeper = this.spoolKeeper;
      this.ledger.spill = (batch) => keeper.spill(batch);
      // What earlier runs left on disk is delivered first.
      setImmediate(() => keeper.replayNext());
    }
    warnAboutOptions(resolved);
    this.exitHooks = {
      beforeExit: () => this.drainBeforeExit(),
      exit: () => {
        this.abandon('process-exit', 'the process exited before they were delivered');
        this.spoolKeeper?.stop();
        this.reporter.summarize();
      },
      signals: resolved.signals,
      deliverBeforeSignal: () => this.deliverBeforeSignal(),
      startDelivery: () => {
        if (this.closed === undefined) void this.flush();
      },
    };
    watchExit(this.exitHooks);
    updateSignalListeners();
  }

  /**
   * Queues one record. Never throws, never waits on the network: a record that
   * cannot be queued (buffer full, client closed, empty content) is dropped
   * and reported through `onDrop` and `stats()`.
   */
  send(record: LogRecord): void {
    const ledger = this.ledger;
    ledger.sent += 1;
    let content: string;
    try {
      content =
        typeof record.content === 'string' ? record.content : contentToString(record.content);
    } catch {
      ledger.dropRecord('invalid', '', 'send() needs a record object with a content string');
      return;
    }
    try {
      if (this.closing) {
        ledger.dropRecord('closed', content, 'send() was called after close()');
        return;
      }
      if (content.length === 0) {
        ledger.dropRecord('empty', content, 'LTS does not accept empty log lines');
        return;
      }
      const group =
        record.labels === undefined ? this.labelSets.staticGroup : this.groupFor(record.labels);
      // Only a long record can be too large for a request alone: measure
      // those exactly, unless it is longer than can fit whatever its bytes.
      // A record an adapter already cut gets the marker with its first size.
      const cutBefore = record.originalBytes;
      if (typeof cutBefore === 'number' && cutBefore > content.length) {
        content = truncateToFit(content, group.maxLiteralBytes, cutBefore);
        ledger.truncated += 1;
      } else if (
        worstCaseLiteralBytes(content.length) > group.maxLiteralBytes &&
        (content.length + 2 > group.maxLiteralBytes ||
          utf8Length(encodeString(content)) > group.maxLiteralBytes)
      ) {
        content = truncateToFit(content, group.maxLiteralBytes);
        ledger.truncated += 1;
      }
      flatten(content);
      const rawBytes = content.length + group.recordOverhead;
      // The record's own time, or the moment it was sent; with a time per
      // record, records of one millisecond keep their order by nanoseconds.
      const own = this.recordTime(record) ?? now();
      const time = this.highAccuracy ? group.order.place(own) : own;
      const added = this.bound.admit(group, rawBytes, time);
      if (added === undefined) {
        ledger.dropRecord(
          'buffer-full',
          content,
          `the buffer is full (maxBufferBytes ${this.options.maxBufferBytes}): LTS is not keeping up or is unreachable`,
        );
        return;
      }
      this.accumulator.add(group, content, rawBytes, time);
      ledger.admit(added);
    } catch (error) {
      ledger.dropRecord(
        'invalid',
        content,
        `the record could not be queued: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The record's own time, unless LTS would drop it for being too far from now. */
  private recordTime(record: LogRecord): Instant | undefined {
    const instant = instantOf(record);
    if (instant === undefined || Math.abs(instant.ms - Date.now()) <= maxTimeSkewMs) {
      return instant;
    }
    this.ledger.timesReplaced += 1;
    return undefined;
  }

  /**
   * For producers that can pause, such as a worker reading from a queue:
   * `send()` itself never waits. Returns a promise while the buffer is past
   * half of `maxBufferBytes` and LTS is accepting; it resolves when
   * deliveries have made room, when delivery starts failing, when the client
   * closes, or when this overload has been paused for 2 s in total (after
   * that, the overflow policy applies). A pause sends the open batches at
   * once rather than after `lingerMs`. Returns undefined when there is no
   * reason to wait. Never rejects.
   *
   * @example
   * ```ts
   * for (const line of lines) {
   *   client.send({ content: line });
   *   await client.backpressure();
   * }
   * ```
   */
  backpressure(): Promise<void> | undefined {
    return this.pacing.wait();
  }

  /** Sends everything buffered now and resolves when it is delivered or dropped. Never rejects. */
  async flush(): Promise<void> {
    this.accumulator.sealAll();
    this.sender.retryNow();
    await settledAll(this.sender.pending());
  }

  /**
   * Stops intake, delivers what is buffered, and resolves within `timeoutMs`
   * (default `closeTimeoutMs`), dropping and reporting whatever is left then.
   * Safe to call more than once. Never rejects.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.closed ??= this.shutdown(options.timeoutMs ?? this.options.closeTimeoutMs);
    return this.closed;
  }

  /** A snapshot of the counters. `delivered + dropped + buffered === sent` always holds. */
  stats(): ClientStats {
    return this.ledger.stats(this.authorizer.renewals, this.pacing.pausedMs());
  }

  /** The event loop ran dry with records buffered: deliver them, within `closeTimeoutMs`. */
  private drainBeforeExit(): void {
    if (this.closing || this.exitDrain !== undefined || this.ledger.bufferedRecords === 0) return;
    this.exitDrain = this.drain(this.options.closeTimeoutMs).finally(() => {
      this.exitDrain = undefined;
    });
  }

  /**
   * A signal is about to end the process: deliver what is buffered (and what
   * the app logs meanwhile) within `closeTimeoutMs`, without closing.
   */
  private async deliverBeforeSignal(): Promise<void> {
    if (this.closed !== undefined) return this.closed;
    const timeoutMs = this.options.closeTimeoutMs;
    const deadline = performance.now() + timeoutMs;
    // Two rounds: what was buffered at the signal, then what the app logged
    // meanwhile. An app that keeps logging does not hold the process to the
    // deadline: what it logs after that is handed to the spool or the
    // fallback with the rest, reported.
    for (let round = 0; round < 2 && this.ledger.bufferedRecords > 0; round++) {
      const left = Math.ceil(deadline - performance.now());
      if (left <= 0) return;
      await this.drain(left, timeoutMs);
    }
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.closing = true;
    this.pacing.update();
    // A short-lived app still delivers what an earlier run left on disk (one
    // segment, within the close timeout); no replay starts after this one.
    this.spoolKeeper?.replayNext();
    this.spoolKeeper?.pause();
    try {
      await this.drain(timeoutMs);
    } finally {
      this.spoolKeeper?.stop();
      this.reporter.summarize();
      unwatchExit(this.exitHooks);
      updateSignalListeners();
      await this.sender.destroy().catch(() => {});
    }
  }

  /**
   * Flushes, and at the deadline drops (and reports) whatever is still pending.
   * @param describedMs the bound named in drop reports (the whole timeout, when this is what is left of it)
   */
  private async drain(timeoutMs: number, describedMs = timeoutMs): Promise<void> {
    this.accumulator.sealAll();
    const pending = this.sender.pending();
    if (pending.length === 0) return;
    this.sender.hurry(true);
    let timer: NodeJS.Timeout | undefined;
    // Referenced on purpose: this timer is what keeps a finishing process alive while it delivers.
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, 'timeout');
    });
    const outcome = await Promise.race([settledAll(pending), deadline]);
    clearTimeout(timer);
    this.sender.hurry(false);
    if (outcome === 'timeout') {
      this.abandon('close-timeout', `they were not delivered within ${describedMs} ms of close`);
    }
  }

  /** Drops every batch not yet settled. */
  private abandon(reason: DropReason, why: string): void {
    // In the order they were opened, so that fallback lines keep the order records were logged in.
    const batches = [...this.sender.pending(), ...this.accumulator.openBatches()].sort(
      (left, right) => left.sequence - right.sequence,
    );
    for (const batch of batches) {
      this.dropBatch(batch, reason, `${batch.count} records dropped: ${why}`);
    }
  }

  private dropBatch(batch: Batch, reason: DropReason, message: string): void {
    this.ledger.dropBatch(batch, reason, message);
    this.sender.cancel(batch);
  }

  private groupFor(labels: Readonly<Record<string, unknown>>): LabelGroup {
    let group: LabelGroup | undefined;
    try {
      group = this.labelSets.groupFor(labels);
    } catch {
      group = undefined;
    }
    if (group === undefined) {
      this.ledger.labelSetOverflows += 1;
      return this.labelSets.staticGroup;
    }
    return group;
  }
}

/** The secrets known at construction; credential sources add those they obtain later. */
function secretsOf(options: ResolvedOptions): Secrets {
  const source = options.credentials;
  const secrets = new Secrets([
    decodeURIComponent(options.proxy?.url.password ?? ''),
    source.kind === 'iam' ? decodeURIComponent(source.iam.proxy?.url.password ?? '') : undefined,
  ]);
  if (source.kind === 'static') secrets.add(source.token);
  if (source.kind === 'iam') secrets.add(source.iam.password);
  if (source.kind === 'access-key') {
    secrets.add(source.key.secret);
    secrets.add(source.key.securityToken);
  }
  return secrets;
}

function createSpoolKeeper(options: ResolvedOptions, parts: SpoolKeeperParts): SpoolKeeper {
  try {
    return new SpoolKeeper(options, parts);
  } catch (error) {
    throw new LtsOptionsError(
      'spool.dir',
      `must be a directory this process can create and write (${(error as Error).message})`,
    );
  }
}

/** Creates an {@link LtsClient}. */
export function createLtsClient(options: LtsClientOptions = {}): LtsClient {
  return new LtsClient(options);
}

function instantOf(record: LogRecord): Instant | undefined {
  if (typeof record.timeNs === 'bigint') return fromNanoseconds(record.timeNs);
  if (typeof record.timeMs === 'number' && Number.isFinite(record.timeMs)) {
    return fromMilliseconds(record.timeMs);
  }
  return undefined;
}

function contentToString(content: unknown): string {
  if (content === undefined || content === null) return '';
  return typeof content === 'object' ? safeJsonStringify(content) : String(content);
}

function settledAll(batches: Batch[]): Promise<void> {
  return Promise.all(batches.map((batch) => batch.whenSettled())).then(() => undefined);
}
