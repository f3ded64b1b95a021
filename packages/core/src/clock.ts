/**
 * Epoch time in nanoseconds without BigInt on the hot path: whole milliseconds
 * plus the nanoseconds within that millisecond. Written out as exact digits,
 * never through a float (1.7e18 is far beyond 2^53).
 */
/** LTS drops lines more than 2 days from its clock: a record time further from now than this is replaced by now. */
export const maxTimeSkewMs = 47 * 60 * 60 * 1000;

export interface Instant {
  /** Whole epoch milliseconds. */
  ms: number;
  /** Nanoseconds within the millisecond, 0 to 999,999. */
  subNs: number;
}

const nanosPerMs = 1_000_000;

/** Keeps times strictly increasing: each call returns at least one nanosecond after the last. */
export class MonotonicCursor {
  private lastMs = 0;
  private lastSubNs = -1;

  /** The later of `time` and one nanosecond after the previous result. */
  next(time: Instant): Instant {
    const { ms, subNs } = time;
    if (ms > this.lastMs || (ms === this.lastMs && subNs > this.lastSubNs)) {
      this.lastMs = ms;
      this.lastSubNs = subNs;
    } else if (this.lastSubNs < nanosPerMs - 1) {
      this.lastSubNs += 1;
    } else {
      this.lastMs += 1;
      this.lastSubNs = 0;
    }
    return { ms: this.lastMs, subNs: this.lastSubNs };
  }

  /** Moves the cursor to `instant` plus `count - 1` nanoseconds: the last time a standard batch used. */
  skip(instant: Instant, count: number): void {
    const total = instant.subNs + count - 1;
    this.lastMs = instant.ms + Math.floor(total / nanosPerMs);
    this.lastSubNs = total % nanosPerMs;
  }
}

/**
 * Keeps the order of records that share a millisecond (the APIs with a time
 * per record): such a record may move by nanoseconds within its own
 * millisecond, never further. A record earlier than the one before keeps its
 * own time: LTS orders by time, and a time is the record's own.
 */
export class MillisecondOrder {
  private last: Instant = { ms: -1, subNs: 0 };

  /** `time`, or one nanosecond after the previous time when it shares and would not follow it. */
  place(time: Instant): Instant {
    const last = this.last;
    const placed =
      time.ms === last.ms && time.subNs <= last.subNs && last.subNs < nanosPerMs - 1
        ? { ms: time.ms, subNs: last.subNs + 1 }
        : time;
    this.last = placed;
    return placed;
  }

  /** The last time used was `time` (a standard batch's last record: its base + count - 1 ns). */
  follow(time: Instant): void {
    this.last = time;
  }
}

/** `later - earlier` in nanoseconds (a float: exact enough for comparing against seconds). */
export function nanosecondsBetween(earlier: Instant, later: Instant): number {
  return (later.ms - earlier.ms) * nanosPerMs + (later.subNs - earlier.subNs);
}

/** Process-wide, so that default times keep the order of `send()` calls across clients. */
const processCursor = new MonotonicCursor();

/** Now, strictly increasing within the process. */
export function now(): Instant {
  return processCursor.next({ ms: Date.now(), subNs: 0 });
}

/** An instant from epoch nanoseconds. Negative values are clamped to 0. */
export function fromNanoseconds(value: bigint): Instant {
  if (value <= 0n) return { ms: 0, subNs: 0 };
  return { ms: Number(value / 1_000_000n), subNs: Number(value % 1_000_000n) };
}

/** An instant from epoch milliseconds, fractions kept to the nanosecond. */
export function fromMilliseconds(value: number): Instant {
  if (!(value > 0) || !Number.isFinite(value)) return { ms: 0, subNs: 0 };
  const ms = Math.floor(value);
  return { ms, subNs: Math.min(nanosPerMs - 1, Math.round((value - ms) * nanosPerMs)) };
}

/** The exact decimal digits of the instant in nanoseconds. */
export function toDigits(instant: Instant): string {
  if (instant.ms === 0) return String(instant.subNs);
  const sub = String(instant.subNs);
  return `${instant.ms}${'000000'.slice(sub.length)}${sub}`;
}

/** The instant `offset` nanoseconds later. */
export function addNanoseconds(instant: Instant, offset: number): Instant {
  const total = instant.subNs + offset;
  return { ms: instant.ms + Math.floor(total / nanosPerMs), subNs: total % nanosPerMs };
}
