import { byTime } from '@logtank/test-support';
import { expect } from 'vitest';

/** The part of a stored emulator record the tests look at. */
export interface StoredRecord {
  content: string;
  timeNs: bigint;
  labels: Record<string, string>;
}

/** The `msg` of a pino line. */
export function messageOf(record: Pick<StoredRecord, 'content'>): string {
  return (JSON.parse(record.content) as { msg: string }).msg;
}

/** `record 0` … `record n-1`. */
export function numberedMessages(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `record ${index}`);
}

/** Nanoseconds since the epoch for epoch milliseconds. */
export function nanoseconds(milliseconds: number): bigint {
  return BigInt(milliseconds) * 1_000_000n;
}

/**
 * With the standard API a request carries one base time, so order can only be
 * checked within one label set: every `record i` arrived exactly once, and
 * within each label set in the order logged.
 */
export function expectEachOnceInOrderPerLabelSet(records: readonly StoredRecord[], count: number) {
  expect(records.map(messageOf).sort()).toEqual(numberedMessages(count).sort());
  const groups = new Map<string, number[]>();
  for (const record of byTime(records)) {
    const key = JSON.stringify(record.labels);
    const indexes = groups.get(key) ?? [];
    indexes.push(Number(messageOf(record).slice('record '.length)));
    groups.set(key, indexes);
  }
  for (const indexes of groups.values()) {
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
  }
}
