/** `prefix 0` … `prefix <count - 1>`, in that order. */
export function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index}`);
}

/** {@link numbered}, sorted: the order stored records take when batches may overtake each other. */
export function numberedSorted(prefix: string, count: number): string[] {
  return numbered(prefix, count).sort();
}
