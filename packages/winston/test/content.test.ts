import type { Emulator } from '@logtank/emulator';
import { byTime, emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { endAllLoggers, endLogger, ltsLogger, winston } from './winston-harness.ts';

afterEach(async () => {
  await endAllLoggers();
});

/** A format that passes the info on without making a line of it (no Symbol.for('message')). */
const noFinalFormat = winston.format((info) => info)();

function contents(emulator: Emulator): string[] {
  return emulator.records().map((record) => record.content);
}

describe('content', () => {
  emulatorTest(
    "sends the line winston's json() format made, in logging order, and emits logged per entry",
    async ({ emulator }) => {
      const { logger, transport } = ltsLogger({ ...emulator.clientOptions(), lingerMs: 60_000 });
      const logged: unknown[] = [];
      transport.on('logged', (info) => logged.push(info.message));
      for (let index = 0; index < 300; index++) logger.info(`entry ${index}`, { index });
      logger.warn('last', { user: { id: 7 } });
      await endLogger(logger);

      const expected = Array.from(
        { length: 300 },
        (_, index) => `{"index":${index},"level":"info","message":"entry ${index}"}`,
      );
      expected.push('{"level":"warn","message":"last","user":{"id":7}}');
      expect(byTime(emulator.records()).map((record) => record.content)).toEqual(expected);
      expect(contents(emulator)).toEqual(expected);
      expect(logged).toHaveLength(301);
      expect(logged[300]).toBe('last');
    },
  );

  emulatorTest(
    'sends a printf line as is, and takes the LTS time from the timestamp the format set',
    async ({ emulator }) => {
      const { logger } = ltsLogger(
        // high-accuracy stores each record's own time, so it can be checked exactly.
        { ...emulator.clientOptions(), api: 'high-accuracy' },
        {
          format: winston.format.combine(
            winston.format.timestamp(),
            winston.format.printf((info) => `${info.timestamp} ${info.level} ${info.message}`),
          ),
        },
      );
      logger.info('first');
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.error('second');
      await endLogger(logger);

      const records = emulator.records();
      expect(records).toHaveLength(2);
      for (const [index, record] of records.entries()) {
        const [timestamp, level, message] = record.content.split(' ');
        expect([level, message]).toEqual(index === 0 ? ['info', 'first'] : ['error', 'second']);
        expect(record.timeNs).toBe(BigInt(Date.parse(timestamp!)) * 1_000_000n);
      }
    },
  );

  emulatorTest(
    'uses a timestamp set by the app or a custom format (Date, epoch ms, ISO string)',
    async ({ emulator }) => {
      const { logger } = ltsLogger({ ...emulator.clientOptions(), api: 'high-accuracy' });
      const base = Date.now() - 60_000;
      logger.info('date', { timestamp: new Date(base) });
      logger.info('number', { timestamp: base + 1 });
      logger.info('string', { timestamp: new Date(base + 2).toISOString() });
      await endLogger(logger);
      expect(emulator.records().map((record) => record.timeNs)).toEqual([
        BigInt(base) * 1_000_000n,
        BigInt(base + 1) * 1_000_000n,
        BigInt(base + 2) * 1_000_000n,
      ]);
    },
  );

  emulatorTest(
    'uses the time of sending when no format set a usable timestamp',
    async ({ emulator }) => {
      const { logger } = ltsLogger({ ...emulator.clientOptions(), api: 'high-accuracy' });
      const before = BigInt(Date.now()) * 1_000_000n;
      logger.info('no timestamp');
      logger.info('unreadable timestamp', { timestamp: 'teatime' });
      const after = BigInt(Date.now() + 1) * 1_000_000n;
      await endLogger(logger);
      for (const record of emulator.records()) {
        expect(record.timeNs).toBeGreaterThanOrEqual(before);
        expect(record.timeNs).toBeLessThan(after);
      }
      expect(emulator.records()).toHaveLength(2);
    },
  );

  emulatorTest(
    'sends a safe JSON of the entry when no format made a line: cycles, BigInt and Errors survive',
    async ({ emulator }) => {
      const { logger } = ltsLogger(emulator.clientOptions(), { format: noFinalFormat });
      const circular: Record<string, unknown> = { name: 'loop' };
      circular.self = circular;
      const error = Object.assign(new Error('boom', { cause: new Error('root cause') }), {
        code: 'E_BOOM',
      });
      expect(() =>
        logger.error('failed', { circular, big: 12345678901234567890n, error }),
      ).not.toThrow();
      logger.info('plain');
      await endLogger(logger);

      const [failed, plain] = contents(emulator).map((content) => JSON.parse(content));
      expect(failed).toEqual({
        circular: { name: 'loop', self: '[Circular]' },
        big: '12345678901234567890',
        error: {
          name: 'Error',
          message: 'boom',
          stack: expect.stringContaining('content.test.ts'),
          code: 'E_BOOM',
          cause: expect.objectContaining({ message: 'root cause' }),
        },
        level: 'error',
        message: 'failed',
      });
      expect((failed.error.stack as string).startsWith('Error: boom\n')).toBe(true);
      expect(plain).toEqual({ level: 'info', message: 'plain' });
    },
  );

  emulatorTest(
    'sends an Error logged on its own with its message and stack (errors() + json())',
    async ({ emulator }) => {
      const { logger } = ltsLogger(emulator.clientOptions(), {
        format: winston.format.combine(
          winston.format.errors({ stack: true }),
          winston.format.json(),
        ),
      });
      logger.error(new Error('disk full'));
      await endLogger(logger);
      const [line] = contents(emulator).map((content) => JSON.parse(content));
      expect(line).toEqual({
        level: 'error',
        message: 'disk full',
        stack: expect.stringMatching(/^Error: disk full\n {4}at .*content\.test\.ts/),
      });
    },
  );

  emulatorTest(
    "applies the transport's own level and format, not only the logger's",
    async ({ emulator }) => {
      const { logger } = ltsLogger({
        ...emulator.clientOptions(),
        level: 'warn',
        format: winston.format.printf((info) => `${info.level.toUpperCase()}: ${info.message}`),
      });
      logger.debug('too detailed');
      logger.info('not important enough');
      logger.warn('careful');
      logger.error('broken');
      await endLogger(logger);
      expect(contents(emulator)).toEqual(['WARN: careful', 'ERROR: broken']);
    },
  );

  emulatorTest('sends nothing while silent', async ({ emulator }) => {
    const { logger, transport } = ltsLogger({ ...emulator.clientOptions(), silent: true });
    logger.info('hidden');
    await endLogger(logger);
    expect(emulator.requests()).toEqual([]);
    expect(transport.client.stats().sent).toBe(0);
  });
});

describe('labels', () => {
  emulatorTest('sends the static labels on every record', async ({ emulator }) => {
    const { logger } = ltsLogger({
      ...emulator.clientOptions(),
      labels: { app: 'api', env: 'test' },
    });
    logger.info('one');
    logger.error('two');
    await endLogger(logger);
    expect(emulator.records().map((record) => record.labels)).toEqual([
      { app: 'api', env: 'test' },
      { app: 'api', env: 'test' },
    ]);
  });

  emulatorTest(
    'labelKeys level is the plain level also after colorize(), while the content keeps the colours',
    async ({ emulator }) => {
      const { logger } = ltsLogger(
        // high-accuracy keeps each record's own time, so time order is logging order across label sets.
        {
          ...emulator.clientOptions(),
          api: 'high-accuracy',
          labels: { app: 'api' },
          labelKeys: ['level'],
        },
        { format: winston.format.combine(winston.format.colorize(), winston.format.simple()) },
      );
      logger.info('green');
      logger.error('red');
      logger.info('green again');
      await endLogger(logger);

      const records = byTime(emulator.records());
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
      const withoutColours = (content: string) => content.replace(/\u001b\[\d+m/g, '');
      expect(records.map((record) => withoutColours(record.content))).toEqual([
        'info: green',
        'error: red',
        'info: green again',
      ]);
      expect(records.every((record) => record.content.startsWith('\u001b['))).toBe(true);
      expect(records.map((record) => record.labels)).toEqual([
        { app: 'api', level: 'info' },
        { app: 'api', level: 'error' },
        { app: 'api', level: 'info' },
      ]);
      // One request per label set.
      expect(emulator.requests().filter((request) => request.status === 200)).toHaveLength(2);
    },
  );

  emulatorTest(
    'copies other fields into labels: strings as is, other values as text, missing ones left out',
    async ({ emulator }) => {
      const { logger } = ltsLogger(
        { ...emulator.clientOptions(), labelKeys: ['service', 'level', 'shard', 'tags'] },
        { defaultMeta: { service: 'billing' } },
      );
      logger.info('with everything', { shard: 3, tags: ['a', 'b'] });
      logger.child({ shard: 'eu-1' }).warn('from a child logger');
      logger.error('without shard');
      await endLogger(logger);
      expect(
        byTime(emulator.records()).map((record) => [
          JSON.parse(record.content).message,
          record.labels,
        ]),
      ).toEqual([
        ['with everything', { service: 'billing', level: 'info', shard: '3', tags: '["a","b"]' }],
        ['from a child logger', { service: 'billing', level: 'warn', shard: 'eu-1' }],
        ['without shard', { service: 'billing', level: 'error' }],
      ]);
    },
  );

  emulatorTest(
    'keeps the number of label sets bounded (maxLabelSets): the rest go with the static labels, nothing is lost',
    async ({ emulator }) => {
      const { logger, transport } = ltsLogger({
        ...emulator.clientOptions(),
        labels: { app: 'api' },
        labelKeys: ['user'],
        maxLabelSets: 3,
      });
      for (let index = 0; index < 50; index++)
        logger.info(`request ${index}`, { user: `u${index % 10}` });
      await endLogger(logger);

      const records = emulator.records();
      expect(records).toHaveLength(50);
      const labelSets = new Set(records.map((record) => JSON.stringify(record.labels)));
      expect(labelSets.size).toBeLessThanOrEqual(3 + 1);
      expect(labelSets).toContain(JSON.stringify({ app: 'api' }));
      for (const record of records) {
        const { user } = JSON.parse(record.content);
        expect([{ app: 'api', user }, { app: 'api' }]).toContainEqual(record.labels);
      }
      expect(transport.client.stats().labelSetOverflows).toBeGreaterThan(0);
      expect(new Set(records.map((record) => JSON.parse(record.content).message)).size).toBe(50);
    },
  );
});
