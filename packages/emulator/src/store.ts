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

/** Accepted records in arrival order, optionally bounded, with waiting for a count. */
export class RecordStore {
  private records: StoredRecord[] = [];
  private waiters: Waiter[] = [];
  evicted = 0;

  constructor(private readonly maxRecords: number) {}

  add(records: StoredRecord[]): void {
    for (const record of records) this.records.push(record);
    const excess = this.records.length - this.maxRecords;
    if (excess > 0) {
      this.records.splice(0, excess);
      this.evicted += excess;
    }
    if (this.waiters.length > 0) this.wake();
  }

  list(filter?: RecordFilter): StoredRecord[] {
    return filter === undefined
      ? [...this.records]
      : this.records.filter((record) => matches(record, filter));
  }

  clear(): void {
    this.records = [];
    this.evicted = 0;
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
