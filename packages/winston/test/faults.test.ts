import { describeFaultScenarios } from '@logtank/adapter-suite';
import { emulatorTest } from '@logtank/test-support';
import { LtsDeliveryError, LtsDropWarning } from '@logtank/winston';
import { afterEach, describe, expect, vi } from 'vitest';
import { winstonDriver } from './winston-driver.ts';
import { endAllLoggers, endLogger, ltsLogger } from './winston-harness.ts';

describeFaultScenarios(winstonDriver);

// What only winston has: its logger's 'warn' and 'error' events, and
// process warnings when nobody listens.

// tokens: [] makes the emulator refuse every token but its own.
emulatorTest.override({ emulatorOptions: { tokens: [] } });

afterEach(async () => {
  await endAllLoggers();
  vi.restoreAllMocks();
});

describe('winston: a rejected token', () => {
  emulatorTest(
    'one request, warn events (never error), the app goes on, the token never shown',
    async ({ emulator }) => {
      const token = `rejected-${'y'.repeat(1200)}`;
      const { logger, transport } = ltsLogger({ ...emulator.clientOptions(), token });
      const warnings: Error[] = [];
      const errors: Error[] = [];
      logger.on('warn', (warning: Error) => warnings.push(warning));
      logger.on('error', (error: Error) => errors.push(error));
      transport.on('error', (error: Error) => errors.push(error));
      for (let index = 0; index < 30; index++) logger.info(`event ${index}`);
      await endLogger(logger);

      expect(emulator.records()).toEqual([]);
      expect(emulator.requests().map((request) => request.status)).toEqual([401]);
      expect(errors).toEqual([]);
      expect(warnings[0]).toBeInstanceOf(LtsDeliveryError);
      expect(warnings[0]).toMatchObject({ status: 401 });
      const drop = warnings.find((warning) => warning instanceof LtsDropWarning);
      expect(drop).toMatchObject({
        event: { reason: 'unauthorized', count: 30, contents: expect.any(Array) },
      });
      expect((drop as LtsDropWarning).event.contents).toHaveLength(30);
      for (const warning of warnings) {
        expect(warning.message).not.toContain(token.slice(0, 40));
        expect(JSON.stringify({ ...warning })).not.toContain(token.slice(0, 40));
      }
    },
  );
});

describe('where problems go', () => {
  emulatorTest(
    "to the logger's warn listeners, not process warnings, when the app listens on the logger",
    async ({ emulator }) => {
      const processWarnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      const { logger, transport } = ltsLogger({ ...emulator.clientOptions(), token: 'refused' });
      const onLogger: Array<[string, unknown]> = [];
      logger.on('warn', (warning: Error, source: unknown) => onLogger.push([warning.name, source]));
      logger.info('refused');
      await endLogger(logger);
      expect(onLogger).toEqual([
        ['LtsDeliveryError', transport],
        ['LtsDropWarning', transport],
      ]);
      expect(processWarnings).not.toHaveBeenCalled();
    },
  );

  emulatorTest(
    'to throttled process warnings when nobody listens for warn (winston forwarding alone does not count)',
    async ({ emulator }) => {
      const processWarnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const { logger } = ltsLogger({ ...emulator.clientOptions(), token: 'refused' });
      logger.info('refused');
      await endLogger(logger);
      expect(processWarnings.mock.calls.map(([message, options]) => [message, options])).toEqual([
        [
          expect.stringMatching(/^logtank: LTS request with 1 records failed .*HTTP 401/),
          { code: 'LOGTANK_DELIVERY' },
        ],
        [
          expect.stringMatching(/^logtank: dropped 1 record\(s\) \(unauthorized\)/),
          { code: 'LOGTANK_DROP' },
        ],
      ]);
      // The record itself goes to stderr (core's fallback), so it is not lost silently.
      expect(stderr.mock.calls.map(([chunk]) => String(chunk))).toEqual([
        '[logtank unauthorized] {"level":"info","message":"refused"}\n',
      ]);
    },
  );
});
