import { afterEach, describe, expect, it, vi } from 'vitest';
import { Secrets } from '../src/redaction.ts';
import { Reporter } from '../src/reporter.ts';
import type { DropEvent } from '../src/types.ts';

function drop(count: number): DropEvent {
  return { reason: 'close-timeout', count, message: 'not delivered in time', contents: [] };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the default reporter', () => {
  it('throttles errors and drops separately, so an error storm never hides a loss', () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((warning) => {
      warnings.push(String(warning));
    });
    const reporter = new Reporter(undefined, undefined);
    for (let index = 0; index < 5; index++) reporter.error(new Error(`attempt ${index} failed`));
    reporter.drop(drop(50));
    expect(warnings).toEqual([
      'logtank: attempt 0 failed',
      'logtank: dropped 50 record(s) (close-timeout): not delivered in time',
    ]);
    reporter.drop(drop(7));
    reporter.drop(drop(3));
    reporter.summarize();
    expect(warnings.slice(2)).toEqual([
      'logtank: 4 more delivery error(s) were not shown (warnings are throttled)',
      'logtank: 2 more drop report(s) covering 10 record(s) were not shown (warnings are throttled)',
    ]);
    vi.advanceTimersByTime(10_001);
    reporter.error(new Error('later'));
    expect(warnings.at(-1)).toBe('logtank: later');
  });

  it('masks secrets and keeps each warning on one line', () => {
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((warning) => {
      warnings.push(String(warning));
    });
    new Reporter(undefined, undefined, new Secrets(['s3cr3t-token'])).error(
      new Error('bad\nthing s3cr3t-token here'),
    );
    expect(warnings).toEqual(['logtank: bad thing [redacted] here']);
  });

  it('hands events to the app’s callbacks, survives a throwing one, and never recurses', () => {
    const seen: string[] = [];
    const reporter: Reporter = new Reporter((error) => {
      seen.push(error.message);
      reporter.error(new Error('from inside the callback'));
      throw new Error('callback bug');
    }, undefined);
    expect(() => reporter.error(new Error('outer'))).not.toThrow();
    expect(seen).toEqual(['outer']);
  });
});
