/** The median of some numbers (undefined for none). */
export function median(values) {
  const sorted = values.filter((value) => typeof value === 'number' && Number.isFinite(value));
  if (sorted.length === 0) return undefined;
  sorted.sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
