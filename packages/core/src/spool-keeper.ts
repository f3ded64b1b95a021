import { basename } from 'node:path';
import { Batch } from './batch.ts';
import { addNanoseconds, fromNanoseconds, type Instant, toDigits } from './clock.ts';
import { LtsSpoolError } from './errors.ts';
import { LabelGroup } from './label-sets.ts';
import type { Ledger } from './ledger.ts';
import type { ResolvedOptions } from './options.ts';
import type { Reporter } from './reporter.ts';
import { type ClaimedSegment, Spool } from './spool.ts';
import type { SpooledBatch } from './spool-format.ts';

/** What the keeper needs from the client. */
export interface SpoolKeeperParts {
  ledger: Ledger;
  reporter: Reporter;
  /** Queues a batch for delivery. */
  enqueue: (batch: Batch) => void;
  nextSequence: () => number;
  /** Bytes buffered right now, to replay only when there is room. */
  bufferedBytes: () => number;
}

/**
 * Moves batches that cannot be delivered in time to the disk spool, and
 * replays spooled batches in order: at start, and whenever LTS answers again.
 * A replayed segment is deleted once all of its batches are settled
 * (delivered, dropped, or spooled again by this process).
 */
export class SpoolKeeper {
  private readonly spool: Spool;
  private readonly groups = new Map<string, LabelGroup>();
  private readonly replaying = new Map<ClaimedSegment, Batch[]>();
  /** This process wrote a segment that is not yet complete (so not yet replayable). */
  private wroteSinceSeal = false;
  private stopped = false;
  /** Closing: replay nothing new (what is not started stays on disk for the next run). */
  private paused = false;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly parts: SpoolKeeperParts,
  ) {
    const spool = options.spool!;
    this.spool = new Spool(spool.directory, spool.maxBytes);
  }

  /** Saves a batch; true when it is on disk. */
  spill(batch: Batch): boolean {
    let result: ReturnType<Spool['write']>;
    try {
      result = this.spool.write(toSpooled(batch));
    } catch (error) {
      this.parts.reporter.error(
        new LtsSpoolError(
          `logtank: could not write to the spool in ${this.spool.directory}: ${(error as Error).message}`,
          this.spool.directory,
          error,
        ),
      );
      return false;
    }
    if (result.evicted.length > 0) {
      this.parts.ledger.dropEvicted(result.evicted.flatMap((evicted) => evicted.contents));
    }
    if (result.written) this.wroteSinceSeal = true;
    return result.written;
  }

  /** Replays the next segment if there is room and nothing is being replayed. */
  replayNext(): void {
    if (this.stopped || this.paused || this.replaying.size > 0) return;
    if (this.parts.bufferedBytes() > this.options.maxBufferBytes / 2) return;
    let segment: ClaimedSegment | undefined;
    try {
      segment = this.spool.claim();
    } catch (error) {
      this.parts.reporter.error(
        new LtsSpoolError(
          `logtank: could not read the spool in ${this.spool.directory}: ${(error as Error).message}`,
          this.spool.directory,
          error,
        ),
      );
      return;
    }
    if (segment === undefined) return;
    if (segment.decoded.damagedBytes > 0) {
      this.parts.reporter.error(
        new LtsSpoolError(
          `logtank: spool segment ${basename(segment.path)} had ${segment.decoded.damagedBytes} damaged bytes (torn by a crash, or corrupt); its ${segment.decoded.batches.length} intact batches are replayed, the damaged part is lost`,
          segment.path,
        ),
      );
    }
    const batches = segment.decoded.batches.map((spooled) => this.fromSpooled(spooled));
    this.replaying.set(segment, batches);
    const deliveredBefore = this.parts.ledger.delivered;
    for (const batch of batches) {
      this.parts.ledger.recover(batch);
      this.parts.enqueue(batch);
    }
    const claimed = segment;
    Promise.all(batches.map((batch) => batch.whenSettled())).then(() => {
      this.finish(claimed);
      // Go on only while LTS accepts: after an outage, onDelivered() resumes.
      if (batches.length === 0 || this.parts.ledger.delivered > deliveredBefore) this.replayNext();
    });
  }

  /** LTS accepted a request: a good moment to replay what waits on disk. */
  onDelivered(): void {
    if (this.stopped || this.paused || this.replaying.size > 0) return;
    if (this.wroteSinceSeal) this.seal();
    this.replayNext();
  }

  /**
   * The client is closing: start no new replay, so that every segment is
   * either delivered by a replay already under way or left whole for the next run.
   */
  pause(): void {
    this.paused = true;
  }

  /** Completes this process's segment and settles the bookkeeping of replayed ones (close, exit). */
  stop(): void {
    this.stopped = true;
    this.seal();
    for (const [segment, batches] of this.replaying) {
      // Every batch is settled by now (delivered, dropped or spooled again), unless a spool write failed.
      if (batches.every((batch) => batch.settled)) this.finish(segment);
      else this.spool.release(segment);
    }
  }

  private finish(segment: ClaimedSegment): void {
    if (!this.replaying.delete(segment)) return;
    this.spool.finish(segment);
  }

  private seal(): void {
    this.wroteSinceSeal = false;
    try {
      this.spool.sealCurrent();
    } catch (error) {
      this.parts.reporter.error(
        new LtsSpoolError(
          `logtank: could not seal the spool segment in ${this.spool.directory}: ${(error as Error).message}`,
          this.spool.directory,
          error,
        ),
      );
    }
  }

  private fromSpooled(spooled: SpooledBatch): Batch {
    let group = this.groups.get(spooled.labelsJson);
    if (group === undefined) {
      group = new LabelGroup(
        spooled.labelsJson,
        spooled.labelsJson,
        this.options.api,
        this.options.maxBatchBytes,
        this.options.projectId,
      );
      this.groups.set(spooled.labelsJson, group);
    }
    const batch = new Batch(group, this.parts.nextSequence());
    const times = spooled.timesNs?.map((digits) => fromNanoseconds(BigInt(digits)));
    const base: Instant =
      spooled.baseTimeNs !== undefined
        ? fromNanoseconds(BigInt(spooled.baseTimeNs))
        : (times?.[0] ?? { ms: Date.now(), subNs: 0 });
    batch.baseTime = base;
    spooled.contents.forEach((content, index) => {
      batch.add(
        content,
        content.length + group.recordOverhead,
        times?.[index] ?? addNanoseconds(base, index),
      );
    });
    batch.admitted = true;
    return batch;
  }
}

function toSpooled(batch: Batch): SpooledBatch {
  return {
    api: batch.group.api,
    labelsJson: batch.group.labelsJson,
    ...(batch.baseTime === undefined ? {} : { baseTimeNs: toDigits(batch.baseTime) }),
    ...(batch.times === undefined ? {} : { timesNs: batch.times.map(toDigits) }),
    contents: batch.records(),
  };
}
