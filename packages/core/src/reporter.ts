import { Secrets } from './redaction.ts';
import { emitProcessWarning } from './stderr.ts';
import type { DropEvent } from './types.ts';

/** How often the default reporter repeats itself at most, per kind. */
const warningIntervalMs = 10_000;

type Kind = 'error' | 'drop' | 'fallback';

const warningCodes: Record<Kind, string> = {
  error: 'LOGTANK_DELIVERY',
  drop: 'LOGTANK_DROP',
  fallback: 'LOGTANK_FALLBACK_FULL',
};

/** A callback of the app: returning `false` hands the event back to the default warnings. */
type Callback<T> = (value: T) => unknown;

interface Throttle {
  lastAt: number;
  suppressed: number;
  /** Records in the suppressed drop reports. */
  suppressedRecords: number;
}

/**
 * Delivers problems to the app's `onError`/`onDrop`, or, when it gave none,
 * to process warnings: the first of each kind at once, then at most one per
 * 10 s with a count of what was held back, and a summary at close and exit so
 * that the last loss is never left unsaid. A callback that throws is ignored:
 * a logging library must not crash the app from inside its error path.
 */
export class Reporter {
  private readonly throttles: Record<Kind, Throttle> = {
    error: { lastAt: Number.NEGATIVE_INFINITY, suppressed: 0, suppressedRecords: 0 },
    drop: { lastAt: Number.NEGATIVE_INFINITY, suppressed: 0, suppressedRecords: 0 },
    fallback: { lastAt: Number.NEGATIVE_INFINITY, suppressed: 0, suppressedRecords: 0 },
  };
  /** Set while a callback runs: a callback that logs through the same client must not recurse. */
  private reporting = false;

  constructor(
    private readonly onError: Callback<Error> | undefined,
    private readonly onDrop: Callback<DropEvent> | undefined,
    /** Values that must never be printed (token, password, SK, security tokens), masked as a last line of defence. */
    private readonly secrets: Secrets = new Secrets(),
  ) {}

  error(error: Error): void {
    // A server may echo a request's headers in its answer, and errors carry the answer.
    this.secrets.redactError(error);
    if (this.onError !== undefined && this.call(this.onError, error) !== false) return;
    this.warn('error', error.message, 0);
  }

  drop(event: DropEvent): void {
    event.message = this.secrets.redact(event.message);
    if (event.error !== undefined) this.secrets.redactError(event.error);
    if (this.onDrop !== undefined && this.call(this.onDrop, event) !== false) return;
    this.warn(
      'drop',
      `dropped ${event.count} record(s) (${event.reason}): ${event.message}`,
      event.count,
    );
  }

  /** The stderr fallback skipped `count` dropped records: stderr is not keeping up. */
  fallbackSkipped(count: number): void {
    this.warn(
      'fallback',
      `${count} dropped record(s) were not written to stderr, which is not keeping up (fallback-full; counted in stats().fallbackSkipped)`,
      count,
    );
  }

  /** Says what the throttle held back (at close and at exit). */
  summarize(): void {
    for (const kind of ['error', 'drop', 'fallback'] as const) {
      const throttle = this.throttles[kind];
      if (throttle.suppressed === 0) continue;
      const what =
        kind === 'error'
          ? `${throttle.suppressed} more delivery error(s)`
          : kind === 'drop'
            ? `${throttle.suppressed} more drop report(s) covering ${throttle.suppressedRecords} record(s)`
            : `${throttle.suppressedRecords} more dropped record(s) not written to stderr (fallback-full)`;
      throttle.suppressed = 0;
      throttle.suppressedRecords = 0;
      this.emit(`${what} were not shown (warnings are throttled)`, kind);
    }
  }

  /** Runs an app callback; its result (`false` hands the event back), or undefined when it threw or recursed. */
  private call<T>(callback: Callback<T>, value: T): unknown {
    if (this.reporting) return undefined;
    this.reporting = true;
    try {
      return callback(value);
    } catch {
      // See the class comment.
      return undefined;
    } finally {
      this.reporting = false;
    }
  }

  private warn(kind: Kind, message: string, records: number): void {
    const throttle = this.throttles[kind];
    const time = Date.now();
    if (time - throttle.lastAt < warningIntervalMs) {
      throttle.suppressed += 1;
      throttle.suppressedRecords += records;
      return;
    }
    const held =
      throttle.suppressed > 0
        ? ` (and ${throttle.suppressed} more like it in the last ${warningIntervalMs / 1000} s)`
        : '';
    throttle.lastAt = time;
    throttle.suppressed = 0;
    throttle.suppressedRecords = 0;
    this.emit(`${message}${held}`, kind);
  }

  private emit(message: string, kind: Kind): void {
    const text = this.secrets.redact(`logtank: ${message}`.replace(/[\r\n]+/g, ' '));
    try {
      emitProcessWarning(text, warningCodes[kind]);
    } catch {
      // See the class comment.
    }
  }
}
