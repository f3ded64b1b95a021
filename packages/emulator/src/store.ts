import type { StoredRecord } from './types.ts';

/** Selects records: by fields, or with a predicate. */
export type RecordFilter =
  | Partial<
      Pick<
        StoredRecord,
        'projectId' | 'logGroupId' | 'logStreamId' | 'api' | 'requestId' | 'credential'
      >
    >
  | ((record: StoredRecord) => boolean);

function matches(record: StoredRecord, filter: RecordFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(record);
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && record[key as keyof StoredRecord] !== value) return false;
  }
  return true;
}

interface Waiter {
  count: number;
  filter: RecordFilter | undefined;
  resolve: (records: StoredRecord[]) => void;
}

/** Told what happens to the store (the console's live feed and label-set counter listen). */
export interface StoreObserver {
  /** `records` were added; the first has sequence number `firstSequence`, the next ones follow. */
  added(records: readonly StoredRecord[], firstSequence: number): void;
  /** `records` were evicted by `maxStoredRecords` (oldest first). */
  evicted(records: readonly StoredRecord[]): void;
  /** Every record was forgotten. */
  cleared(): void;
}

/** A stored record with its sequence number (1, 2, …: never reused, also across `clear()`). */
export interface SequencedRecord {
  record: StoredRecord;
  sequence: number;
}

/** Accepted records in arrival order, optionally bounded, with waiting for a count. */
export class RecordStore {
  private records: StoredRecord[] = [];
  private waiters: Waiter[] = [];
  /** The sequence number of `records[0]`. */
  private firstSequence = 1;
  private readonly observers: StoreObserver[] = [];
  evicted = 0;

  constructor(private readonly maxRecords: number) {}

  /** Records stored now. */
  get size(): number {
    return this.records.length;
  }

  /** Adds an observer of additions, evictions and clearing. */
  observe(observer: StoreObserver): void {
    this.observers.push(observer);
  }

  add(records: StoredRecord[]): void {
    const firstSequence = this.firstSequence + this.records.length;
    for (const record of records) this.records.push(record);
    for (const observer of this.observers) observer.added(records, firstSequence);
    const excess = this.records.length - this.maxRecords;
    if (excess > 0) {
      const evicted = this.records.splice(0, excess);
      this.firstSequence += excess;
      this.evicted += excess;
      for (const observer of this.observers) observer.evicted(evicted);
    }
    if (this.waiters.length > 0) this.wake();
  }

  /**
   * The newest `limit` records that `matches` accepts, newest first, with
   * their sequence numbers, and how many stored records it accepts in all.
   */
  newest(
    limit: number,
    matches: (record: StoredRecord) => boolean,
  ): { records: SequencedRecord[]; matched: number } {
    const records: SequencedRecord[] = [];
    let matched = 0;
    for (let index = this.records.length - 1; index >= 0; index -= 1) {
      const record = this.records[index]!;
      if (!matches(record)) continue;
      matched += 1;
      if (records.length < limit) records.push({ record, sequence: this.firstSequence + index });
    }
    return { records, matched };
  }

  list(filter?: RecordFilter): StoredRecord[] {
    return filter === undefined
      ? [...this.records]
      : this.records.filter((record) => matches(record, filter));
  }

  clear(): void {
    this.firstSequence += this.records.length;
    this.records = [];
    this.evicted = 0;
    for (const observer of this.observers) observer.cleared();
  }

  /** Resolves with the matching records once there are at least `count`. */
  waitFor(count: number, filter: RecordFilter | undefined): Promise<StoredRecord[]> {
    const current = this.list(filter);
    if (current.length >= count) return Promise.resolve(current);
    return new Promise((resolve) => this.waiters.push({ count, filter, resolve }));
  }

  /** {@link waitFor}, rejecting after `timeoutMs` with how many records came. */
  waitWithTimeout(
    count: number,
    filter: RecordFilter | undefined,
    timeoutMs: number,
  ): Promise<StoredRecord[]> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (records: StoredRecord[]) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(records);
      };
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        this.forget(done);
        reject(
          new Error(
            `waitForRecords: ${this.list(filter).length} of ${count} records arrived within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.waitFor(count, filter).then(done);
    });
  }

  /** Stops waiting for a waiter (timeout). */
  forget(resolve: (records: StoredRecord[]) => void): void {
    this.waiters = this.waiters.filter((waiter) => waiter.resolve !== resolve);
  }

  private wake(): void {
    this.waiters = this.waiters.filter((waiter) => {
      const current = this.list(waiter.filter);
      if (current.length < waiter.count) return true;
      waiter.resolve(current);
      return false;
    });
  }
}
