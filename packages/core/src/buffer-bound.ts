import type { Batch } from './batch.ts';
import type { Instant } from './clock.ts';
import type { LabelGroup } from './label-sets.ts';
import type { Ledger } from './ledger.ts';
import type { OverflowPolicy } from './types.ts';

/** Where batches not yet on the wire can be taken from to make room. */
export interface BatchHolders {
  /** The batches being filled. */
  accumulator: {
    opensBatch(group: LabelGroup, rawBytes: number, time: Instant): boolean;
    openBatches(): Batch[];
    takeOldest(): Batch | undefined;
    takeNewest(): Batch | undefined;
  };
  /** The sealed batches, queued or waiting to retry. */
  sender: {
    takeOldest(): Batch | undefined;
    takeNewest(): Batch | undefined;
    /** Stops work on a batch dropped here. */
    cancel(batch: Batch): void;
  };
}

/**
 * The memory bound, `maxBufferBytes`, on everything not yet delivered: it
 * admits records, makes room by the overflow policy (or, with a spool,
 * moves the oldest batches to disk), and restores the bound when encoding
 * shows a batch larger than its estimate. What it drops it reports through
 * the ledger, with the reason `buffer-full`.
 */
export class BufferBound {
  constructor(
    private readonly maxBufferBytes: number,
    private readonly overflow: OverflowPolicy,
    /** With a spool nothing is lost by moving the oldest batches to disk, whatever the policy. */
    private readonly spools: boolean,
    private readonly ledger: Ledger,
    private readonly holders: BatchHolders,
  ) {}

  /**
   * The bytes a record adds to the buffer (with the envelope of the batch it
   * opens), after making room for it where the policy allows; undefined when
   * it does not fit and must be refused.
   */
  admit(group: LabelGroup, rawBytes: number, time: Instant): number | undefined {
    const added = this.bytesAdded(group, rawBytes, time);
    if (this.ledger.bufferedBytes + added <= this.maxBufferBytes) return added;
    if (!this.makeRoom(added)) return undefined;
    // The record's own batch may have gone: then it opens one.
    return this.bytesAdded(group, rawBytes, time);
  }

  /**
   * Records are admitted on an estimate of their encoded size; when encoding
   * shows the buffer grew past its bound (content that JSON escaping
   * inflates), batches not yet started go, by the overflow policy, until it
   * fits again. False when `current` itself had to go.
   */
  restore(current: Batch): boolean {
    const dropOldest = this.overflow === 'drop-oldest';
    const why = `the buffer is full (maxBufferBytes ${this.maxBufferBytes})`;
    const { accumulator, sender } = this.holders;
    while (this.ledger.bufferedBytes > this.maxBufferBytes) {
      const victim = dropOldest
        ? (sender.takeOldest() ?? accumulator.takeOldest())
        : (accumulator.takeNewest() ?? sender.takeNewest());
      if (victim === undefined) {
        this.ledger.dropBatch(current, 'buffer-full', `${why}: ${current.count} records dropped`);
        return false;
      }
      this.drop(victim, `${why}: ${victim.count} records dropped`);
    }
    return true;
  }

  /** drop-oldest (or a spool): frees room by dropping the oldest batches not on the wire. */
  private makeRoom(needed: number): boolean {
    if (this.overflow !== 'drop-oldest' && !this.spools) return false;
    const { accumulator, sender } = this.holders;
    while (this.ledger.bufferedBytes + needed > this.maxBufferBytes) {
      const queued = sender.takeOldest();
      const open = accumulator.openBatches()[0];
      const victim =
        queued !== undefined && (open === undefined || queued.sequence < open.sequence)
          ? queued
          : accumulator.takeOldest();
      if (victim === undefined) return false;
      this.drop(
        victim,
        `the buffer is full (maxBufferBytes ${this.maxBufferBytes}): dropped the oldest ${victim.count} records to make room`,
      );
    }
    return true;
  }

  private bytesAdded(group: LabelGroup, rawBytes: number, time: Instant): number {
    return this.holders.accumulator.opensBatch(group, rawBytes, time)
      ? group.envelopeBytes + rawBytes
      : rawBytes;
  }

  private drop(batch: Batch, message: string): void {
    this.ledger.dropBatch(batch, 'buffer-full', message);
    this.holders.sender.cancel(batch);
  }
}
