import type { AdapterDriver, AppEnding, AppRun } from '@logtank/adapter-suite';
import type { ChildRun } from '@logtank/test-support';
import { type DropEvent, LtsDropWarning, type LtsTransportOptions } from '@logtank/winston';
import { runFixture } from './run-fixture.ts';
import { endAllLoggers, endLogger, ltsLogger } from './winston-harness.ts';

/** The exact line winston's json() format makes of what app.mjs logs as record `index`. */
export function expectedContent(index: number): string {
  const level = index % 3 === 0 ? 'warn' : 'info';
  return `{"index":${index},"level":"${level}","message":"record ${index}"}`;
}

/**
 * Runs test/fixtures/app.mjs: it logs `records` entries, then ends as
 * `scenario` says (an {@link AppEnding}, or winston's own `exception` and
 * `rejection`: handleExceptions/handleRejections after a fatal error).
 */
export function runApp(
  scenario: AppEnding | 'exception' | 'rejection',
  { records, options, environment }: Omit<AppRun, 'ending'>,
): Promise<ChildRun> {
  return runFixture('app.mjs', {
    ...environment,
    SCENARIO: scenario,
    RECORDS: String(records),
    OPTIONS: JSON.stringify(options),
  });
}

/**
 * winston in the shared adapter scenarios: a real winston logger over
 * LtsTransport, problems taken from the transport's 'warn' events (what an
 * app listens to), ended with `logger.end()` after 'finish'; the app is
 * test/fixtures/app.mjs.
 */
export const winstonDriver: AdapterDriver = {
  packageName: '@logtank/winston',
  async startLogger(options) {
    const { logger, transport } = ltsLogger(options as LtsTransportOptions);
    const errors: Error[] = [];
    const drops: DropEvent[] = [];
    transport.on('warn', (warning: Error) => {
      if (warning instanceof LtsDropWarning) drops.push(warning.event);
      else errors.push(warning);
    });
    return {
      info: (message) => logger.info(message),
      end: () => endLogger(logger),
      errors,
      drops,
      flush: () => transport.client.flush(),
      stats: () => transport.client.stats(),
    };
  },
  endLoggers: endAllLoggers,
  messageOf: (content) => (JSON.parse(content) as { message: string }).message,
  app: {
    run: ({ ending, ...run }) => runApp(ending, run),
    endings: ['end', 'end-then-exit', 'natural', 'exit', 'survive', 'sigterm'],
    shutdownLine: 'finish (\\d+)',
    processExit: 'reported',
    expectedRecord: expectedContent,
    recordOf: (content) => content,
  },
};
