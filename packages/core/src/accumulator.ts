import { Batch } from './batch.ts';
import { type Instant, now } from './clock.ts';
import type { LabelGroup, LabelSets } from './label-sets.ts';
import type { ResolvedOptions } from './options.ts';

/**
 * Fills one open batch per label set and seals it at whichever comes first:
 * `maxBatchRecords`, `maxBatchBytes` or `lingerMs`.
 *
 * Sizes are estimated on the hot path (content length times the expansion
 * JSON escaping was last seen to cause) and checked exactly when the batch is
 * encoded; the sender splits the rare batch that turns out too large.
 */
export class Accumulator {
  private sequence = 0;
  private readonly standard: boolean;
  /** Encoded bytes per raw byte, as last observed; starts pessimistic (JSON lines escape every quote). */
  private expansion = 1.25;

  constructor(
    private readonly options: Pick<ResolvedOptions, 'api' | 'maxBatchRecords' | 'lingerMs'>,
    private readonly labelSets: LabelSets,
    private readonly onSealed: (batch: Batch) => void,
  ) {
    this.standard = options.api === 'standard';
  }

  /** A new batch sequence number. */
  readonly nextSequence = (): number => ++this.sequence;

  /** Whether a record of `rawBytes` goes into a new batch (whose envelope then counts too). */
  opensBatch(group: LabelGroup, rawBytes: number): boolean {
    const open = group.open;
    return open === undefined || (open.rawBytes + rawBytes) * this.expansion > group.recordBudget;
  }

  /**
   * Adds a content. `time` is the record's time: the base time when it opens
   * a standard batch (`undefined` means now), or its own time (high-accuracy).
   */
  add(group: LabelGroup, content: string, rawBytes: number, time: Instant | undefined): void {
    let batch = group.open;
    if (batch !== undefined && (batch.rawBytes + rawBytes) * this.expansion > group.recordBudget) {
      this.seal(group);
      batch = undefined;
    }
    if (batch === undefined) batch = this.open(group, time);
    batch.add(content, rawBytes, time);
    if (batch.count >= this.options.maxBatchRecords) this.seal(group);
  }

  /** Learns from an encoded batch how much escaping and UTF-8 grow contents. */
  observeEncoding(rawBytes: number, encodedRecordBytes: number): void {
    if (rawBytes <= 0) return;
    const observed = encodedRecordBytes / rawBytes;
    // Up at once (an overshoot costs a split), down slowly.
    this.expansion =
      observed > this.expansion ? observed * 1.02 : this.expansion * 0.9 + observed * 0.1;
  }

  /** Seals every open batch (flush, close). */
  sealAll(): void {
    for (const group of this.labelSets.all()) this.seal(group);
  }

  /** Open batches, oldest first. */
  openBatches(): Batch[] {
    const batches: Batch[] = [];
    for (const group of this.labelSets.all())
      if (group.open !== undefined) batches.push(group.open);
    return batches.sort((left, right) => left.sequence - right.sequence);
  }

  /** Detaches the oldest open batch (to drop it); undefined when none is open. */
  takeOldest(): Batch | undefined {
    const oldest = this.openBatches()[0];
    if (oldest !== undefined) this.detach(oldest.group);
    return oldest;
  }

  /** Detaches the newest open batch (to drop it); undefined when none is open. */
  takeNewest(): Batch | undefined {
    const newest = this.openBatches().at(-1);
    if (newest !== undefined) this.detach(newest.group);
    return newest;
  }

  private open(group: LabelGroup, time: Instant | undefined): Batch {
    const batch = new Batch(group, this.nextSequence());
    if (this.standard) batch.baseTime = group.cursor.next(time ?? now());
    group.open = batch;
    const timer = setTimeout(() => this.seal(group), this.options.lingerMs);
    // Unreferenced: a waiting batch alone must not keep the process alive (beforeExit flushes it).
    timer.unref();
    group.lingerTimer = timer;
    return batch;
  }

  private seal(group: LabelGroup): void {
    const batch = this.detach(group);
    if (batch === undefined) return;
    if (this.standard) group.cursor.skip(batch.baseTime!, batch.count);
    this.onSealed(batch);
  }

  private detach(group: LabelGroup): Batch | undefined {
    const batch = group.open;
    if (batch === undefined) return undefined;
    clearTimeout(group.lingerTimer);
    group.lingerTimer = undefined;
    group.open = undefined;
    return batch;
  }
}
