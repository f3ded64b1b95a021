/** Records in the order of their LTS time, oldest first (stable: records of one time keep their order). */
export function byTime<T extends { timeNs: bigint }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
}
