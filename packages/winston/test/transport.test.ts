import { readFileSync } from 'node:fs';
import { emulatorTest } from '@logtank/test-support';
import LtsTransportDefault, {
  LtsDropWarning,
  LtsOptionsError,
  LtsTransport,
  type LtsTransportOptions,
  version,
} from '@logtank/winston';
import { afterEach, describe, expect, it } from 'vitest';
import TransportStream from 'winston-transport';
import { runFixture } from './run-fixture.ts';
import { endAllLoggers, endLogger, ltsLogger, winston } from './winston-harness.ts';

const transports: LtsTransport[] = [];

afterEach(async () => {
  await endAllLoggers();
  await Promise.all(transports.splice(0).map((transport) => transport.client.close()));
});

function transport(options: LtsTransportOptions): LtsTransport {
  const created = new LtsTransport(options);
  transports.push(created);
  return created;
}

// Compile-time checks: core's options and winston's own in one object; unknown keys are refused.
const allOptions: LtsTransportOptions = {
  endpoint: 'http://127.0.0.1:1',
  labels: { app: 'api' },
  lingerMs: 100,
  spool: { dir: '/tmp/spool' },
  onDrop: () => {},
  level: 'info',
  format: winston.format.json(),
  silent: false,
  handleExceptions: true,
  handleRejections: true,
  labelKeys: ['level'],
};
// @ts-expect-error a misspelt option is a type error
const misspelt: LtsTransportOptions = { labelkeys: ['level'] };

describe('module shape', () => {
  it('exports LtsTransport as named and default export, in ESM and CommonJS', async () => {
    expect(LtsTransportDefault).toBe(LtsTransport);
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(version).toBe(manifest.version);
    const run = await runFixture('require-check.cjs', {});
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      resolved: expect.stringMatching(/dist[/\\]index\.cjs$/),
      keys: [
        'LtsCredentialError',
        'LtsDeliveryError',
        'LtsDropWarning',
        'LtsOptionsError',
        'LtsTokenError',
        'LtsTransport',
        'default',
        'version',
      ],
      transport: 'function',
      defaultIsTransport: true,
      version: manifest.version,
    });
    expect(Object.keys(allOptions)).toHaveLength(11);
    expect(misspelt).toBeDefined();
  });

  emulatorTest(
    'is a winston transport: level, format, silent and the handle flags reach winston-transport',
    ({ emulator }) => {
      const format = winston.format.simple();
      const created = transport({
        ...emulator.clientOptions(),
        level: 'warn',
        format,
        silent: true,
        handleExceptions: true,
        handleRejections: true,
      });
      expect(created).toBeInstanceOf(TransportStream);
      expect(created).toMatchObject({
        level: 'warn',
        format,
        silent: true,
        handleExceptions: true,
        handleRejections: true,
      });
    },
  );
});

describe('configuration errors', () => {
  emulatorTest(
    "throw at construction with core's LtsOptionsError naming the field",
    ({ emulator }) => {
      expect(() => transport({ ...emulator.clientOptions(), projectId: 'too-short' })).toThrow(
        expect.objectContaining({ name: 'LtsOptionsError', option: 'projectId' }),
      );
      expect(() => transport({ ...emulator.clientOptions(), lingerMs: -1 })).toThrow(
        LtsOptionsError,
      );
    },
  );

  emulatorTest('reject labelKeys that are not an array of field names', ({ emulator }) => {
    expect(() =>
      transport({ ...emulator.clientOptions(), labelKeys: 'level' as unknown as string[] }),
    ).toThrow(/logtank: option labelKeys must be an array of field names/);
    expect(() => transport({ ...emulator.clientOptions(), labelKeys: ['level', ''] })).toThrow(
      /logtank: option labelKeys\[1\] must be a non-empty field name/,
    );
  });

  emulatorTest('never echo the token', ({ emulator }) => {
    const token = 'secret token with spaces';
    let thrown: unknown;
    try {
      transport({ ...emulator.clientOptions(), token });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LtsOptionsError);
    expect((thrown as Error).message).toMatch(/option token/);
    expect((thrown as Error).message).not.toContain('secret');
  });
});

describe('shutdown', () => {
  emulatorTest(
    'close() is safe to call more than once, also with logger.end(): every record is delivered once',
    async ({ emulator }) => {
      const { logger, transport: created } = ltsLogger({
        ...emulator.clientOptions(),
        lingerMs: 60_000,
      });
      for (let index = 0; index < 10; index++) logger.info(`event ${index}`);
      created.close();
      created.close();
      await endLogger(logger);
      created.close();
      expect(emulator.records().map((record) => JSON.parse(record.content).message)).toEqual(
        Array.from({ length: 10 }, (_, index) => `event ${index}`),
      );
      expect(created.client.stats()).toMatchObject({ sent: 10, delivered: 10, buffered: 0 });
    },
  );

  emulatorTest(
    'logger.remove(transport) and logger.close() deliver what the transport holds, in the background',
    async ({ emulator }) => {
      const first = transport({
        ...emulator.clientOptions(),
        lingerMs: 60_000,
        labels: { t: '1' },
      });
      const second = transport({
        ...emulator.clientOptions(),
        lingerMs: 60_000,
        labels: { t: '2' },
      });
      const logger = winston.createLogger({ transports: [first, second] });
      logger.info('to both');
      logger.remove(first);
      logger.info('to the second only');
      logger.close();
      const records = await emulator.waitForRecords(3, { timeoutMs: 10_000 });
      expect(
        records.map((record) => [record.labels.t, JSON.parse(record.content).message]).sort(),
      ).toEqual([
        ['1', 'to both'],
        ['2', 'to both'],
        ['2', 'to the second only'],
      ]);
    },
  );

  emulatorTest(
    'an entry that reaches a closed transport is reported as dropped (warn), and nothing throws',
    async ({ emulator }) => {
      const created = transport(emulator.clientOptions());
      const warnings: Error[] = [];
      created.on('warn', (warning: Error) => warnings.push(warning));
      await new Promise((resolve) => {
        created.once('finish', resolve);
        created.end();
      });
      expect(() => created.log({ level: 'info', message: 'too late' })).not.toThrow();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toBeInstanceOf(LtsDropWarning);
      expect((warnings[0] as LtsDropWarning).event).toMatchObject({
        reason: 'closed',
        count: 1,
        contents: ['{"level":"info","message":"too late"}'],
      });
    },
  );
});
