import type { StoreObserver } from './store.ts';
import type { StoredRecord } from './types.ts';

/**
 * Counts the distinct label sets among the stored records (`{app: 'web'}`
 * and `{app: 'worker'}` are two; key order does not matter), kept up to date
 * as records are added, evicted and cleared.
 */
export class LabelSetCounter implements StoreObserver {
  private readonly counts = new Map<string, number>();
  /** Records of one request share their labels object: its key is computed once. */
  private readonly keys = new WeakMap<Record<string, string>, string>();

  /** Distinct label sets among the stored records. */
  get size(): number {
    return this.counts.size;
  }

  added(records: readonly StoredRecord[]): void {
    for (const record of records) {
      const key = this.keyOf(record.labels);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  evicted(records: readonly StoredRecord[]): void {
    for (const record of records) {
      const key = this.keyOf(record.labels);
      const count = (this.counts.get(key) ?? 1) - 1;
      if (count === 0) this.counts.delete(key);
      else this.counts.set(key, count);
    }
  }

  cleared(): void {
    this.counts.clear();
  }

  private keyOf(labels: Record<string, string>): string {
    let key = this.keys.get(labels);
    if (key === undefined) {
      key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      this.keys.set(labels, key);
    }
    return key;
  }
}
