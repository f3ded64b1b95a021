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
