import type { AdapterDriver, AppEnding, AppRun } from '@logtank/adapter-suite';
import type { DropEvent } from '@logtank/log4js';
import type { ChildRun } from '@logtank/test-support';
import { configureLts, log4js, shutdownLog4js } from './log4js-harness.ts';
import { runFixture } from './run-fixture.ts';

/** A stored event in the form the tests compare: its message, level and category. */
export interface EventSummary {
  message: string;
  level: string;
  category: string;
}

/** What app.cjs logs as event `index`: `record <index>`, WARN every third, categories http and db in turn. */
export function expectedEvent(index: number): EventSummary {
  return {
    message: `record ${index}`,
    level: index % 3 === 0 ? 'WARN' : 'INFO',
    category: index % 2 === 0 ? 'http' : 'db',
  };
}

/** The message, level and category of a stored event's JSON. */
export function summaryOf(content: string): EventSummary {
  const { message, level, category } = JSON.parse(content) as EventSummary;
  return { message, level, category };
}

/**
 * Runs test/fixtures/app.cjs: it logs `records` events, then ends as
 * `scenario` says (an {@link AppEnding}, or log4js's own `reconfigure`:
 * log4js.configure() again halfway, with the label phase: second).
 */
export function runApp(
  scenario: AppEnding | 'reconfigure',
  { records, options, environment }: Omit<AppRun, 'ending'>,
): Promise<ChildRun> {
  return runFixture('app.cjs', {
    ...environment,
    SCENARIO: scenario,
    RECORDS: String(records),
    OPTIONS: JSON.stringify(options),
  });
}

/**
 * log4js in the shared adapter scenarios: the real log4js configured with
 * the appender by name, problems taken from onError/onDrop (log4js has no
 * events of its own), ended with `log4js.shutdown(callback)`; the app is
 * test/fixtures/app.cjs.
 */
export const log4jsDriver: AdapterDriver = {
  packageName: '@logtank/log4js',
  async startLogger(options) {
    const errors: Error[] = [];
    const drops: DropEvent[] = [];
    const own = options as { onError?: unknown; onDrop?: unknown };
    configureLts({
      ...options,
      onError: own.onError ?? ((error: Error) => errors.push(error)),
      onDrop: own.onDrop ?? ((event: DropEvent) => drops.push(event)),
    });
    const logger = log4js.getLogger('app');
    return {
      info: (message) => logger.info(message),
      end: async () => {
        const error = await shutdownLog4js();
        if (error !== undefined) throw error;
      },
      errors,
      drops,
    };
  },
  endLoggers: async () => {
    await shutdownLog4js();
  },
  messageOf: (content) => (JSON.parse(content) as { message: string }).message,
  app: {
    run: ({ ending, ...run }) => runApp(ending, run),
    endings: ['end', 'end-then-exit', 'natural', 'exit', 'survive', 'sigterm'],
    shutdownLine: 'shutdown-callback (\\d+) ok',
    processExit: 'reported',
    expectedRecord: expectedEvent,
    recordOf: summaryOf,
  },
};
