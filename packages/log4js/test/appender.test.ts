import { createRequire } from 'node:module';
import * as appenderModule from '@logtank/log4js';
import { configure, type LtsAppender, LtsOptionsError } from '@logtank/log4js';
import { emulatorTest } from '@logtank/test-support';
import type { AppenderModule } from 'log4js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureLts, log4js, shutdownLog4js } from './log4js-harness.ts';
import { runFixture } from './run-fixture.ts';

const require = createRequire(import.meta.url);
const layouts = require('log4js/lib/layouts');
const levels = require('log4js/lib/levels');
const LoggingEvent = require('log4js/lib/LoggingEvent');

// Compile-time check: the module as imported fits log4js's own AppenderModule type.
const asLog4jsModule: AppenderModule = appenderModule;

const appenders: LtsAppender[] = [];

afterEach(async () => {
  await shutdownLog4js();
  await Promise.all(
    appenders.splice(0).map((appender) => new Promise((resolve) => appender.shutdown(resolve))),
  );
  vi.restoreAllMocks();
});

function event(category: string, level: string, ...data: unknown[]) {
  return new LoggingEvent(category, levels.getLevel(level), data, {});
}

function directAppender(config: Record<string, unknown>): LtsAppender {
  const appender = configure({ type: '@logtank/log4js', ...config }, layouts);
  appenders.push(appender);
  return appender;
}

describe('module shape', () => {
  it('require() of the package gives configure directly, and nothing log4js would warn about', async () => {
    const run = await runFixture('require-check.cjs', {});
    expect(run.stderr).toBe('');
    const loaded = JSON.parse(run.stdout);
    expect(loaded.configure).toBe('function');
    expect(loaded.resolved).toMatch(/dist[/\\]index\.cjs$/);
    // log4js deprecates module-level `shutdown` and `appender` exports; no `default` wrapper either.
    expect(loaded.keys).not.toContain('shutdown');
    expect(loaded.keys).not.toContain('appender');
    expect(loaded.keys).not.toContain('default');
    expect(typeof asLog4jsModule.configure).toBe('function');
  });

  emulatorTest('works with type given as the CommonJS module object', async ({ emulator }) => {
    configureLts({ ...emulator.clientOptions(), type: require('@logtank/log4js') });
    log4js.getLogger('object').info('by module object');
    await shutdownLog4js();
    expect(emulator.records().map((record) => JSON.parse(record.content).message)).toEqual([
      'by module object',
    ]);
  });

  emulatorTest('works with type given as the ES module namespace', async ({ emulator }) => {
    configureLts({ ...emulator.clientOptions(), type: appenderModule });
    log4js.getLogger('namespace').info('by namespace');
    await shutdownLog4js();
    expect(emulator.records().map((record) => JSON.parse(record.content).message)).toEqual([
      'by namespace',
    ]);
  });
});

describe('shutdown', () => {
  emulatorTest(
    'is safe to call twice: every callback runs once, every record is delivered once',
    async ({ emulator }) => {
      const appender = directAppender({ ...emulator.clientOptions(), lingerMs: 60_000 });
      for (let index = 0; index < 10; index++) appender(event('direct', 'INFO', `event ${index}`));
      const calls: string[] = [];
      await Promise.all([
        new Promise<void>((resolve) =>
          appender.shutdown((error) => {
            calls.push(`first ${error}`);
            resolve();
          }),
        ),
        new Promise<void>((resolve) =>
          appender.shutdown((error) => {
            calls.push(`second ${error}`);
            resolve();
          }),
        ),
      ]);
      appender.shutdown();
      await new Promise<void>((resolve) => appender.shutdown(() => resolve()));
      expect(calls.sort()).toEqual(['first undefined', 'second undefined']);
      expect(emulator.records().map((record) => JSON.parse(record.content).message)).toEqual(
        Array.from({ length: 10 }, (_, index) => `event ${index}`),
      );
    },
  );

  emulatorTest(
    'reports an event logged after shutdown as dropped, and does not throw',
    async ({ emulator }) => {
      const onDrop = vi.fn();
      const appender = directAppender({ ...emulator.clientOptions(), onDrop });
      await new Promise((resolve) => appender.shutdown(resolve));
      expect(() => appender(event('late', 'INFO', 'too late'))).not.toThrow();
      expect(onDrop).toHaveBeenCalledWith(
        expect.objectContaining({
          reason: 'closed',
          count: 1,
          contents: [expect.stringContaining('too late')],
        }),
      );
    },
  );

  emulatorTest(
    'keeps the records of the first config when log4js.configure() runs again',
    async ({ emulator }) => {
      configureLts({ ...emulator.clientOptions(), lingerMs: 60_000, labels: { config: 'first' } });
      for (let index = 0; index < 20; index++) log4js.getLogger('re').info(`first ${index}`);
      configureLts({ ...emulator.clientOptions(), lingerMs: 60_000, labels: { config: 'second' } });
      for (let index = 0; index < 20; index++) log4js.getLogger('re').info(`second ${index}`);
      await shutdownLog4js();
      // The first config's client closes on its own (configure() does not wait for it).
      await emulator.waitForRecords(40, { timeoutMs: 10_000 });
      const records = emulator.records();
      expect(records).toHaveLength(40);
      for (const config of ['first', 'second']) {
        expect(
          records
            .filter((record) => record.labels.config === config)
            .map((record) => JSON.parse(record.content).message),
        ).toEqual(Array.from({ length: 20 }, (_, index) => `${config} ${index}`));
      }
    },
  );
});

describe('configuration errors', () => {
  emulatorTest(
    'surface from log4js.configure() with the LtsOptionsError message naming the field',
    ({ emulator }) => {
      const options = { ...emulator.clientOptions(), projectId: 'too-short' };
      let thrown: unknown;
      try {
        configureLts(options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ name: 'LtsOptionsError', option: 'projectId' });
      expect((thrown as Error).message).toMatch(
        /^logtank: option projectId must be the 32-character project id/,
      );
    },
  );

  emulatorTest('never echo the token', ({ emulator }) => {
    const token = 'secret token with spaces';
    expect(() => configureLts({ ...emulator.clientOptions(), token })).toThrow(
      /logtank: option token must not contain spaces/,
    );
    try {
      configureLts({ ...emulator.clientOptions(), token });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('secret');
    }
  });

  emulatorTest(
    'refuse unknown keys, naming the likely option, as every logtank adapter does',
    ({ emulator }) => {
      let refused: unknown;
      try {
        configureLts({ ...emulator.clientOptions(), LabelKeys: ['level'] });
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(LtsOptionsError);
      expect((refused as LtsOptionsError).option).toBe('LabelKeys');
      expect((refused as Error).message).toMatch(
        /is not an option of @logtank\/log4js \(type, layout, labelKeys\) nor of the logtank client \(did you mean labelKeys\?\)/,
      );
    },
  );
});
