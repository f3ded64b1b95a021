import { addNanoseconds, type Instant } from './clock.ts';
import type { LabelGroup } from './label-sets.ts';

/** Where a batch is in its life. */
export type BatchState = 'open' | 'queued' | 'waiting' | 'sending' | 'settled';

/**
 * Records of one label set that travel in one request. Contents are kept as
 * given and encoded once per batch, when it is sent.
 */
export class Batch {
  readonly contents: string[] = [];
  /** High-accuracy API: each record's time. */
  readonly times: Instant[] | undefined;
  /** Standard API: the time of the first record; the i-th is at base + i ns. */
  baseTime: Instant | undefined;
  /** Size of the records before encoding (UTF-16 units plus per-record overhead). */
  rawBytes = 0;
  state: BatchState = 'open';
  /** Attempts made so far. */
  attempts = 0;
  /** Whether a 401 already led to a token renewal for this batch. */
  tokenRenewed = false;
  /** The body, built once for the first attempt and reused by retries. */
  body: string | Buffer | undefined;
  /** Aborts the request in flight. */
  abortController: AbortController | undefined;
  /** Wakes a batch waiting to retry. */
  wake: (() => void) | undefined;
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

  get count(): number {
    return this.contents.length;
  }

  /** Bytes counted against `maxBufferBytes`: the records and the body envelope. */
  get bytes(): number {
    return this.group.envelopeBytes + this.rawBytes;
  }

  get settled(): boolean {
    return this.state === 'settled';
  }

  /** Adds a content whose raw size (with overhead) is `rawBytes`; `time` for high-accuracy batches. */
  add(content: string, rawBytes: number, time: Instant | undefined): void {
    this.contents.push(content);
    this.times?.push(time!);
    this.rawBytes += rawBytes;
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
    if (this.settled) return;
    this.state = 'settled';
    this.body = undefined;
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
    const middle = Math.ceil(this.contents.length / 2);
    const halves: [Batch, Batch] = [new Batch(this.group, nextSequence()), new Batch(this.group, nextSequence())];
    halves[0].baseTime = this.baseTime;
    halves[1].baseTime = this.baseTime && addNanoseconds(this.baseTime, middle);
    const overhead = this.group.recordOverhead;
    this.contents.forEach((content, index) => {
      (index < middle ? halves[0] : halves[1]).add(content, content.length + overhead, this.times?.[index]);
    });
    for (const half of halves) {
      half.parent = this;
      half.state = 'queued';
    }
    this.unsettledChildren = 2;
    this.contents.length = 0;
    this.times && (this.times.length = 0);
    this.rawBytes = 0;
    this.body = undefined;
    return halves;
  }
}
