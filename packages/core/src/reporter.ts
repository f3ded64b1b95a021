import type { DropEvent } from './types.ts';

/** How often the default reporter repeats itself at most. */
const warningIntervalMs = 10_000;

/**
 * Delivers problems to the app's `onError`/`onDrop`, or, when it gave none,
 * to rate-limited process warnings. A callback that throws is ignored: a
 * logging library must not crash the app from inside its error path.
 */
export class Reporter {
  private lastWarningAt = Number.NEGATIVE_INFINITY;
  private suppressedErrors = 0;
  private suppressedDrops = 0;
  /** Set while a callback runs: a callback that logs through the same client must not recurse. */
  private reporting = false;

  constructor(
    private readonly onError: ((error: Error) => void) | undefined,
    private readonly onDrop: ((event: DropEvent) => void) | undefined,
  ) {}

  error(error: Error): void {
    if (this.onError !== undefined) {
      this.call(this.onError, error);
      return;
    }
    this.warn(error.message, 'LOGTANK_DELIVERY', 'error');
  }

  drop(event: DropEvent): void {
    if (this.onDrop !== undefined) {
      this.call(this.onDrop, event);
      return;
    }
    this.warn(
      `dropped ${event.count} record(s) (${event.reason}): ${event.message}`,
      'LOGTANK_DROP',
      'drop',
    );
  }

  private call<T>(callback: (value: T) => void, value: T): void {
    if (this.reporting) return;
    this.reporting = true;
    try {
      callback(value);
    } catch {
      // See the class comment.
    } finally {
      this.reporting = false;
    }
  }

  private warn(message: string, code: string, kind: 'error' | 'drop'): void {
    const time = Date.now();
    if (time - this.lastWarningAt < warningIntervalMs) {
      if (kind === 'error') this.suppressedErrors += 1;
      else this.suppressedDrops += 1;
      return;
    }
    const suppressed =
      this.suppressedErrors + this.suppressedDrops > 0
        ? ` (${this.suppressedErrors} more errors and ${this.suppressedDrops} more drop reports in the last ${warningIntervalMs / 1000} s)`
        : '';
    this.lastWarningAt = time;
    this.suppressedErrors = 0;
    this.suppressedDrops = 0;
    process.emitWarning(`logtank: ${message}${suppressed}`, { code });
  }
}
