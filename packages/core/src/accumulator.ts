import { Batch } from './batch.ts';
import { type Instant, now } from './clock.ts';
import type { LabelGroup, LabelSets } from './label-sets.ts';
import type { ResolvedOptions } from './options.ts';

/**
 * Fills one open batch per label set and seals it at whichever comes first:
 * `maxBatchRecords`, `maxBatchBytes` (exact body bytes) or `lingerMs`.
 */
export class Accumulator {
  private sequence = 0;
  private readonly standard: boolean;

  constructor(
    private readonly options: Pick<
      ResolvedOptions,
      'api' | 'maxBatchRecords' | 'maxBatchBytes' | 'lingerMs'
    >,
    private readonly labelSets: LabelSets,
    private readonly onSealed: (batch: Batch) => void,
  ) {
    this.standard = options.api === 'standard';
  }

  /** A new batch sequence number. */
  readonly nextSequence = (): number => ++this.sequence;

  /** Whether adding `partBytes` to the group opens a new batch (the body envelope is then added too). */
  opensBatch(group: LabelGroup, partBytes: number): boolean {
    const open = group.open;
    return open === undefined || open.bytes + partBytes + 1 > this.options.maxBatchBytes;
  }

  /**
   * Adds an encoded part. `time` is the record's time, used (standard API) as
   * the base time when the part opens a batch; `undefined` means now.
   */
  add(group: LabelGroup, part: string, partBytes: number, time: Instant | undefined): Batch {
    let batch = group.open;
    if (batch !== undefined && batch.bytes + partBytes + 1 > this.options.maxBatchBytes) {
      this.seal(group);
      batch = undefined;
    }
    if (batch === undefined) batch = this.open(group, time);
    batch.add(part, partBytes);
    if (batch.count >= this.options.maxBatchRecords) this.seal(group);
    return batch;
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
