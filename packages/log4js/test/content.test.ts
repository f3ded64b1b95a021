import { format } from 'node:util';
import type { Emulator } from '@logtank/emulator';
import { byTime, emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { configureLts, log4js, shutdownLog4js } from './log4js-harness.ts';

afterEach(async () => {
  await shutdownLog4js();
});

/** A label set as a string that does not depend on key order. */
function labelSetKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** The stored contents, parsed. */
function storedJson(emulator: Emulator): Array<Record<string, unknown>> {
  return emulator.records().map((record) => JSON.parse(record.content));
}

describe('default JSON content', () => {
  emulatorTest(
    'formats arguments like log4js and carries time, level, category, context and pid',
    async ({ emulator }) => {
      // high-accuracy stores each record's own time, so startTime -> timeMs can be checked exactly.
      configureLts({ ...emulator.clientOptions(), api: 'high-accuracy' });
      const logger = log4js.getLogger('billing');
      logger.addContext('requestId', 'r-42');
      const before = Date.now();
      logger.info('user %s did %d things', 'bob', 3);
      logger.warn({ plain: 'object' }, 'and', 7);
      const after = Date.now();
      expect(await shutdownLog4js()).toBeUndefined();

      const records = emulator.records();
      expect(records).toHaveLength(2);
      const [first, second] = storedJson(emulator);
      expect(first).toEqual({
        time: expect.any(String),
        level: 'INFO',
        category: 'billing',
        message: 'user bob did 3 things',
        context: { requestId: 'r-42' },
        pid: process.pid,
      });
      expect(second).toMatchObject({ level: 'WARN', message: "{ plain: 'object' } and 7" });
      for (const [index, record] of records.entries()) {
        const timeMs = Date.parse(String(storedJson(emulator)[index]!.time));
        expect(timeMs).toBeGreaterThanOrEqual(before);
        expect(timeMs).toBeLessThanOrEqual(after);
        // The record's LTS time is the event's startTime, not the time it was sent.
        expect(record.timeNs / 1_000_000n).toBe(BigInt(timeMs));
      }
    },
  );

  emulatorTest(
    'writes the message util.format writes, for a text with flat fields and for anything else',
    async ({ emulator }) => {
      configureLts(emulator.clientOptions());
      const logger = log4js.getLogger('orders');
      const calls: unknown[][] = [
        // The common call, on both sides of util.inspect's 80-column break.
        ['order placed', { requestId: 'req-1', userId: 5, route: '/api/v1', status: 200, ms: 1.5 }],
        ['short', { a: 1, ok: true, none: null }],
        // Left to util.format: a quote, a nested object, an array, a format specifier.
        ['quoted', { name: "it's" }],
        ['nested', { a: { b: 1 } }],
        ['list', [1, 2]],
        ['%s of %d', 'two', 3],
      ];
      for (const args of calls) logger.info(...(args as [unknown, ...unknown[]]));
      expect(await shutdownLog4js()).toBeUndefined();

      expect(storedJson(emulator).map((record) => record.message)).toEqual(
        calls.map((args) => format(...args)),
      );
    },
  );

  emulatorTest('leaves context out when it is empty', async ({ emulator }) => {
    configureLts(emulator.clientOptions());
    log4js.getLogger('quiet').info('no context');
    await shutdownLog4js();
    expect(Object.keys(storedJson(emulator)[0]!)).toEqual([
      'time',
      'level',
      'category',
      'message',
      'pid',
    ]);
  });

  emulatorTest(
    'serialises an Error with name, message, stack, cause and own fields',
    async ({ emulator }) => {
      configureLts(emulator.clientOptions());
      const error = Object.assign(new Error('boom', { cause: new Error('root cause') }), {
        code: 'E_BOOM',
      });
      log4js.getLogger('jobs').error('job failed:', error);
      await shutdownLog4js();

      const [line] = storedJson(emulator);
      expect(line!.message).toMatch(/^job failed: Error: boom\n {4}at /);
      expect(line!.error).toMatchObject({
        name: 'Error',
        message: 'boom',
        code: 'E_BOOM',
        cause: { message: 'root cause' },
      });
      expect((line!.error as { stack: string }).stack).toContain('content.test.ts');
    },
  );

  emulatorTest('survives circular objects in data and context', async ({ emulator }) => {
    configureLts(emulator.clientOptions());
    const logger = log4js.getLogger('loops');
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    logger.addContext('circular', circular);
    expect(() => logger.info('state', circular)).not.toThrow();
    await shutdownLog4js();

    const [line] = storedJson(emulator);
    expect(line!.message).toBe("state <ref *1> { name: 'loop', self: [Circular *1] }");
    expect(line!.context).toEqual({ circular: { name: 'loop', self: '[Circular]' } });
  });

  emulatorTest('keeps the call site when the logger records it', async ({ emulator }) => {
    configureLts(emulator.clientOptions(), { enableCallStack: true });
    const logger = log4js.getLogger('traced');
    logger.info('where am I');
    await shutdownLog4js();
    expect(storedJson(emulator)[0]!.location).toMatchObject({
      fileName: expect.stringContaining('content.test.ts'),
      lineNumber: expect.any(Number),
    });
  });
});

describe('layout', () => {
  emulatorTest('uses a log4js pattern layout for the content', async ({ emulator }) => {
    configureLts({
      ...emulator.clientOptions(),
      layout: { type: 'pattern', pattern: '%p %c %m' },
    });
    const logger = log4js.getLogger('web');
    logger.info('user %s did %d things', 'bob', 3);
    logger.error('down');
    await shutdownLog4js();
    expect(emulator.records().map((record) => record.content)).toEqual([
      'INFO web user bob did 3 things',
      'ERROR web down',
    ]);
  });

  emulatorTest('uses layouts added with log4js.addLayout', async ({ emulator }) => {
    log4js.addLayout('shout', () => (event) => String(event.data[0]).toUpperCase());
    configureLts({ ...emulator.clientOptions(), layout: { type: 'shout' } });
    log4js.getLogger().info('quiet please');
    await shutdownLog4js();
    expect(emulator.records().map((record) => record.content)).toEqual(['QUIET PLEASE']);
  });

  emulatorTest(
    'sends the default JSON with layoutError when the layout throws, and the log call does not throw',
    async ({ emulator }) => {
      log4js.addLayout('broken', () => () => {
        throw new Error('layout exploded');
      });
      configureLts({ ...emulator.clientOptions(), layout: { type: 'broken' } });
      expect(() => log4js.getLogger('fragile').info('still here')).not.toThrow();
      await shutdownLog4js();
      expect(storedJson(emulator)).toEqual([
        expect.objectContaining({
          category: 'fragile',
          message: 'still here',
          layoutError: 'layout exploded',
        }),
      ]);
    },
  );

  emulatorTest(
    'rejects an unknown layout type at configure time, naming the field',
    ({ emulator }) => {
      expect(() =>
        configureLts({ ...emulator.clientOptions(), layout: { type: 'no-such-layout' } }),
      ).toThrow(/logtank: option layout\.type is not a log4js layout: "no-such-layout"/);
    },
  );
});

describe('labels', () => {
  emulatorTest('sends static labels on every record', async ({ emulator }) => {
    configureLts({ ...emulator.clientOptions(), labels: { app: 'api', env: 'test' } });
    log4js.getLogger('a').info('one');
    log4js.getLogger('b').error('two');
    await shutdownLog4js();
    expect(emulator.records().map((record) => record.labels)).toEqual([
      { app: 'api', env: 'test' },
      { app: 'api', env: 'test' },
    ]);
  });

  emulatorTest(
    'turns labelKeys category and level into per-record labels, one request per label set',
    async ({ emulator }) => {
      configureLts({
        ...emulator.clientOptions(),
        labels: { app: 'api' },
        labelKeys: ['category', 'level'],
      });
      const expected: Array<{ content: string; labels: Record<string, string> }> = [];
      for (let index = 0; index < 40; index++) {
        const category = index % 2 === 0 ? 'http' : 'db';
        const level = index % 4 < 2 ? 'info' : 'error';
        log4js.getLogger(category)[level](`event ${index}`);
        expected.push({
          content: `event ${index}`,
          labels: { app: 'api', category, level: level.toUpperCase() },
        });
      }
      await shutdownLog4js();

      const records = emulator.records();
      expect(records).toHaveLength(40);
      for (const record of records) {
        const message = JSON.parse(record.content).message as string;
        expect(record.labels).toEqual(expected.find((entry) => entry.content === message)!.labels);
      }
      // Each request carries one label set: 4 sets, so 4 requests (all within one linger).
      const requests = emulator.requests().filter((request) => request.status === 200);
      expect(requests).toHaveLength(4);
      // Within a label set, time order is log order.
      for (const labels of new Set(expected.map((entry) => labelSetKey(entry.labels)))) {
        const inSet = byTime(records.filter((record) => labelSetKey(record.labels) === labels)).map(
          (record) => JSON.parse(record.content).message,
        );
        expect(inSet).toEqual(
          expected
            .filter((entry) => labelSetKey(entry.labels) === labels)
            .map((entry) => entry.content),
        );
      }
    },
  );

  emulatorTest('rejects a labelKeys entry it does not know, naming it', ({ emulator }) => {
    expect(() =>
      configureLts({ ...emulator.clientOptions(), labelKeys: ['level', 'host'] }),
    ).toThrow(/logtank: option labelKeys\[1\] must be "category" or "level"; got "host"/);
  });
});
