import { Batch } from './batch.ts';
import { addNanoseconds, type Instant, nanosecondsBetween } from './clock.ts';
import type { LabelGroup } from './label-sets.ts';
import type { ResolvedOptions } from './options.ts';

/** How far a standard batch's line reaches past its base time: no stored time is off by more. */
const maxLineNs = 1_000_000_000;

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
  /** The batch being filled per label set, and the timer that seals it after `lingerMs`. */
  private readonly open = new Map<LabelGroup, { batch: Batch; timer: NodeJS.Timeout }>();
  private readonly standard: boolean;
  /** Encoded bytes per raw byte, as last observed; starts pessimistic (JSON lines escape every quote). */
  private expansion = 1.25;

  constructor(
    private readonly options: Pick<ResolvedOptions, 'api' | 'maxBatchRecords' | 'lingerMs'>,
    private readonly onSealed: (batch: Batch) => void,
  ) {
    this.standard = options.api === 'standard';
  }

  /** A new batch sequence number. */
  readonly nextSequence = (): number => ++this.sequence;

  /** Whether a record of `rawBytes` at `time` goes into a new batch (whose envelope then counts too). */
  opensBatch(group: LabelGroup, rawBytes: number, time: Instant): boolean {
    const open = this.open.get(group)?.batch;
    return (
      open === undefined ||
      (open.rawBytes + rawBytes) * this.expansion > group.recordBudget ||
      !this.onLine(open, time)
    );
  }

  /**
   * Standard API: a request has one base time and LTS stores its i-th line at
   * base + i ns, so a record joins the open batch only when that is within a
   * second of its own time: not before the batch's last record, at most a
   * second after its first. The other APIs carry each record's time.
   */
  private onLine(batch: Batch, time: Instant): boolean {
    if (!this.standard) return true;
    return (
      nanosecondsBetween(batch.lastTime!, time) >= 0 &&
      nanosecondsBetween(batch.baseTime!, time) <= maxLineNs
    );
  }

  /** Adds a content with its time (the record's own, or the moment it was sent). */
  add(group: LabelGroup, content: string, rawBytes: number, time: Instant): void {
    let batch = this.open.get(group)?.batch;
    if (
      batch !== undefined &&
      ((batch.rawBytes + rawBytes) * this.expansion > group.recordBudget ||
        !this.onLine(batch, time))
    ) {
      this.seal(group);
      batch = undefined;
    }
    if (batch === undefined) batch = this.openBatch(group, time);
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

  /** Whether `group` has a batch being filled. */
  holds(group: LabelGroup): boolean {
    return this.open.has(group);
  }

  /** Seals every open batch (flush, close). */
  sealAll(): void {
    for (const group of [...this.open.keys()]) this.seal(group);
  }

  /** Open batches, oldest first. */
  openBatches(): Batch[] {
    const batches = [...this.open.values()].map(({ batch }) => batch);
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

  private openBatch(group: LabelGroup, time: Instant): Batch {
    const batch = new Batch(group, this.nextSequence());
    // Batches of one label set within one millisecond keep their order by nanoseconds.
    if (this.standard) batch.baseTime = group.order.place(time);
    const timer = setTimeout(() => this.seal(group), this.options.lingerMs);
    // Unreferenced: a waiting batch alone must not keep the process alive (beforeExit flushes it).
    timer.unref();
    this.open.set(group, { batch, timer });
    return batch;
  }

  private seal(group: LabelGroup): void {
    const batch = this.detach(group);
    if (batch === undefined) return;
    if (this.standard) group.order.follow(addNanoseconds(batch.baseTime!, batch.count - 1));
    this.onSealed(batch);
  }

  private detach(group: LabelGroup): Batch | undefined {
    const open = this.open.get(group);
    if (open === undefined) return undefined;
    clearTimeout(open.timer);
    this.open.delete(group);
    return open.batch;
  }
}
