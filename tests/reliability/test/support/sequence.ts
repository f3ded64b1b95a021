/** What the emulator holds, compared with the sequence numbers that were logged. */
export interface SequenceCheck {
  /** Distinct sequence numbers stored. */
  unique: number;
  /** Stored copies beyond the first of a number. */
  duplicates: number;
  /** Logged numbers not stored, ascending. */
  missing: number[];
  /** Stored contents with no sequence number, or one never logged. */
  strangers: string[];
}

const sequencePattern = /seq=(\d+)\b/;

/** The sequence number a log line carries (`seq=<n>`), if any. */
export function sequenceOf(content: string): number | undefined {
  const match = sequencePattern.exec(content);
  return match === null ? undefined : Number(match[1]);
}

/** Compares stored contents with the numbers 0 … sent-1 (or the given list). */
export function checkSequences(
  contents: readonly string[],
  sent: number | readonly number[],
): SequenceCheck {
  const expected =
    typeof sent === 'number' ? Array.from({ length: sent }, (_, index) => index) : sent;
  const wanted = new Set(expected);
  const seen = new Map<number, number>();
  const strangers: string[] = [];
  for (const content of contents) {
    const sequence = sequenceOf(content);
    if (sequence === undefined || !wanted.has(sequence)) {
      strangers.push(content.slice(0, 200));
      continue;
    }
    seen.set(sequence, (seen.get(sequence) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const copies of seen.values()) duplicates += copies - 1;
  const missing = expected.filter((sequence) => !seen.has(sequence));
  return { unique: seen.size, duplicates, missing, strangers };
}
