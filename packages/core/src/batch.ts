import { addNanoseconds, type Instant } from './clock.ts';
import { decodeContents, highAccuracyBody, producerBody, standardBody } from './encode.ts';
import type { LabelGroup } from './label-sets.ts';

/**
 * Records of one label set that travel in one request. While open it holds
 * the contents as given; once sealed it is encoded into its body and keeps
 * only that, so memory is what the buffer bound counts. Its delivery (tries,
 * waits) is the sender's business (delivery.ts), its place in the open
 * batches the accumulator's.
 */
export class Batch {
  /** High-accuracy API: each record's time. */
  readonly times: Instant[] | undefined;
  /** Standard API: the time of the first record; the i-th is at base + i ns. */
  baseTime: Instant | undefined;
  /** Standard API: the own time of the last record added (a record before it starts a new batch). */
  lastTime: Instant | undefined;
  /** Records in the batch. */
  count = 0;
  /** Size of the records before encoding (UTF-16 units plus per-record overhead). */
  rawBytes = 0;
  /** Already held within the bound once (read back from the spool, or half of a split batch): never dropped to restore it. */
  admitted = false;
  private isSettled = false;
  private contents: string[] | undefined = [];
  private encoded: Buffer | undefined;
  private waiters: Array<() => void> | undefined;
  private parent: Batch | undefined;
  private unsettledChildren = 0;

  constructor(
    readonly group: LabelGroup,
    /** Creation order, used to evict the oldest first. */
    readonly sequence: number,
  ) {
    this.times = group.highAccuracy ? [] : undefined;
  }

  /** Bytes counted against `maxBufferBytes`: the exact body once encoded, an estimate before. */
  get bytes(): number {
    return this.encoded?.length ?? this.group.envelopeBytes + this.rawBytes;
  }

  /** The request body (UTF-8 JSON), once encoded. */
  get body(): Buffer | undefined {
    return this.encoded;
  }

  /** Delivered or dropped (the ledger settled it). */
  get settled(): boolean {
    return this.isSettled;
  }

  /** Adds a content whose raw size (with overhead) is `rawBytes`; `time` for high-accuracy batches. */
  add(content: string, rawBytes: number, time: Instant | undefined): void {
    this.contents!.push(content);
    if (this.times === undefined) this.lastTime = time;
    else this.times.push(time!);
    this.count += 1;
    this.rawBytes += rawBytes;
  }

  /**
   * Builds the body and lets go of the contents; returns the exact body bytes.
   * The body is kept as UTF-8 bytes: encoded once, sent as is by every attempt,
   * and outside the JS heap.
   */
  encode(): number {
    if (this.encoded !== undefined) return this.encoded.length;
    const contents = this.contents!;
    const { labelsJson } = this.group;
    this.encoded =
      this.times === undefined
        ? standardBody(this.baseTime!, contents, labelsJson)
        : this.group.api === 'batch'
          ? producerBody(contents, this.times, labelsJson, this.group.projectId)
          : highAccuracyBody(contents, this.times, labelsJson);
    this.contents = undefined;
    return this.encoded.length;
  }

  /**
   * The records' contents (decoded from the body once encoded). Never throws:
   * it runs on the paths that report drops, where a throw would become an
   * unhandled rejection in the app; a body that cannot be decoded is returned
   * whole, as one entry, rather than lost.
   */
  records(): string[] {
    if (this.contents !== undefined) return this.contents;
    if (this.encoded === undefined) return [];
    const text = this.encoded.toString('utf8');
    try {
      return decodeContents(text);
    } catch {
      return [text];
    }
  }

  /** Resolves once the batch (or both halves of it, after a split) is delivered or dropped. */
  whenSettled(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters ??= [];
      this.waiters.push(resolve);
    });
  }

  /** Marks the batch done and wakes whoever waits on it. */
  settle(): void {
    if (this.isSettled) return;
    this.isSettled = true;
    for (const resolve of this.waiters ?? []) resolve();
    this.waiters = undefined;
    const parent = this.parent;
    if (parent !== undefined && --parent.unsettledChildren === 0) parent.settle();
  }

  /**
   * Two halves in order, each keeping its records' effective times. The
   * parent becomes empty and settles when both halves have.
   */
  split(nextSequence: () => number): [Batch, Batch] {
    const records = this.records();
    const middle = Math.ceil(records.length / 2);
    const halves: [Batch, Batch] = [
      new Batch(this.group, nextSequence()),
      new Batch(this.group, nextSequence()),
    ];
    halves[0].baseTime = this.baseTime;
    halves[1].baseTime = this.baseTime && addNanoseconds(this.baseTime, middle);
    const overhead = this.group.recordOverhead;
    records.forEach((content, index) => {
      (index < middle ? halves[0] : halves[1]).add(
        content,
        content.length + overhead,
        this.times?.[index],
      );
    });
    for (const half of halves) {
      half.parent = this;
      half.admitted = true;
    }
    this.unsettledChildren = 2;
    this.contents = [];
    this.encoded = undefined;
    this.count = 0;
    this.rawBytes = 0;
    return halves;
  }
}
