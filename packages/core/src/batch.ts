import { addNanoseconds, type Instant } from './clock.ts';
import { encodeString, utf8Length } from './encode.ts';
import type { LabelGroup } from './label-sets.ts';

/** Where a batch is in its life. */
export type BatchState = 'open' | 'queued' | 'waiting' | 'sending' | 'settled';

/**
 * Records of one label set that travel in one request. `parts` are the
 * encoded JSON entries; `bytes` is the exact UTF-8 size of the body.
 */
export class Batch {
  readonly parts: string[] = [];
  /** The exact body size in bytes (before compression). */
  bytes: number;
  /** Standard API: the time of the first record; the i-th is at base + i ns. */
  baseTime: Instant | undefined;
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
    this.bytes = group.envelopeBytes;
  }

  get count(): number {
    return this.parts.length;
  }

  get settled(): boolean {
    return this.state === 'settled';
  }

  /** Adds an encoded part of `partBytes` bytes. */
  add(part: string, partBytes: number): void {
    this.bytes += this.parts.length === 0 ? partBytes : partBytes + 1;
    this.parts.push(part);
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
    // parts stay until the batch is unreferenced: a drop report may still decode them.
    this.body = undefined;
    for (const resolve of this.waiters ?? []) resolve();
    this.waiters = undefined;
    const parent = this.parent;
    if (parent !== undefined && --parent.unsettledChildren === 0) parent.settle();
  }

  /** Two halves in order; the parent settles when both have. Keeps each record's effective time. */
  split(nextSequence: () => number): [Batch, Batch] {
    const middle = Math.ceil(this.parts.length / 2);
    const halves: [Batch, Batch] = [
      new Batch(this.group, nextSequence()),
      new Batch(this.group, nextSequence()),
    ];
    halves[0].baseTime = this.baseTime;
    halves[1].baseTime = this.baseTime && addNanoseconds(this.baseTime, middle);
    this.parts.forEach((part, index) => {
      (index < middle ? halves[0] : halves[1]).add(part, utf8Length(part));
    });
    for (const half of halves) {
      half.parent = this;
      half.state = 'queued';
    }
    this.unsettledChildren = 2;
    this.state = 'queued';
    this.parts.length = 0;
    this.body = undefined;
    return halves;
  }

  /** The records' contents, decoded from their JSON entries (for drop reports). */
  contents(): string[] {
    return this.parts.map((part) => decodePart(part));
  }
}

function decodePart(part: string): string {
  const value: unknown = JSON.parse(part);
  return typeof value === 'string' ? value : (value as { log: string }).log;
}

/** The encoded size of a content, for callers that only have the raw string. */
export function encodedSize(content: string): number {
  return utf8Length(encodeString(content));
}
