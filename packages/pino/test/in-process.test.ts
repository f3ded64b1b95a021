import { once } from 'node:events';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type DropEvent, LtsOptionsError } from '@logtank/core';
import ltsTransportDefault, { ltsTransport } from '@logtank/pino';
import { byTime, emulatorTest, killChildren, runNode } from '@logtank/test-support';
import pino from 'pino';
import { afterEach, describe, expect } from 'vitest';
import { messageOf, numberedMessages } from './helpers/records.ts';

const inProcessApp = fileURLToPath(new URL('./fixtures/in-process-app.mjs', import.meta.url));

// pino(await ltsTransport(options)) in this process, against the emulator.

// Checking tokens: only emulator.token is accepted, so a wrong one is refused (401).
emulatorTest.override({ emulatorOptions: { tokens: [] } });

afterEach(() => killChildren());

/** A pino option set whose clock is deterministic, so two instances write identical lines. */
function twinOptions(base: number): pino.LoggerOptions {
  let calls = 0;
  return { timestamp: () => `,"time":${base + calls++}`, base: { service: 'in-process' } };
}

function memoryStream(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line) => line !== ''),
      );
      callback();
    },
  });
}

async function end(stream: NodeJS.WritableStream): Promise<void> {
  const closed = once(stream, 'close');
  stream.end();
  await closed;
}

describe('in-process mode', () => {
  emulatorTest(
    'is the default export and delivers every line byte for byte when the stream ends',
    async ({ emulator }) => {
      expect(ltsTransportDefault).toBe(ltsTransport);
      const stream = await ltsTransport({ ...emulator.clientOptions(), lingerMs: 60_000 });
      const base = Date.now();
      const logger = pino(twinOptions(base), stream);
      const expected: string[] = [];
      const twin = pino(twinOptions(base), memoryStream(expected));
      const messages = [
        'plain',
        'quote " backslash \\ newline \n',
        '日本語 🎉 \u2028',
        'x'.repeat(5000),
      ];
      for (let index = 0; index < 300; index++) {
        const message = messages[index % messages.length];
        logger.info({ index }, message);
        twin.info({ index }, message);
      }

      await end(stream);

      expect(expected).toHaveLength(300);
      expect(byTime(emulator.records()).map((record) => record.content)).toEqual(expected);
    },
  );

  emulatorTest('labels custom levels from the customLevels option', async ({ emulator }) => {
    const customLevels = { audit: 35 };
    const stream = await ltsTransport({
      ...emulator.clientOptions(),
      labelKeys: ['level'],
      customLevels,
    });
    const logger = pino<'audit'>({ customLevels }, stream);
    logger.audit('record 0');
    logger.warn('record 1');
    logger.info({ level: 'ignored' }, 'record 2');

    await end(stream);

    const records = byTime(emulator.records());
    expect(records.map((record) => [messageOf(record), record.labels])).toEqual(
      expect.arrayContaining([
        ['record 0', { level: 'audit' }],
        ['record 1', { level: 'warn' }],
        ['record 2', { level: 'info' }],
      ]),
    );
    expect(records).toHaveLength(3);
  });

  emulatorTest(
    'ships lines that are not JSON as they are and skips blank lines',
    async ({ emulator }) => {
      const stream = await ltsTransport(emulator.clientOptions());
      stream.write(
        'plain text line\n\n   \n{"level":30,"msg":"record 1"}\nnot {json\r\nlast without newline',
      );

      await end(stream);

      expect(byTime(emulator.records()).map((record) => record.content)).toEqual([
        'plain text line',
        '{"level":30,"msg":"record 1"}',
        'not {json',
        'last without newline',
      ]);
    },
  );

  emulatorTest(
    'reports delivery problems to onDrop and never emits error on the stream',
    async ({ emulator }) => {
      const drops: DropEvent[] = [];
      const stream = await ltsTransport({
        ...emulator.clientOptions({ token: `rejected-${'r'.repeat(1200)}` }),
        onDrop: (event) => drops.push(event),
        onError: () => {},
      });
      const errors: unknown[] = [];
      stream.on('error', (error) => errors.push(error));
      const logger = pino(stream);
      for (let index = 0; index < 10; index++) logger.info(`record ${index}`);

      await end(stream);

      expect(errors).toEqual([]);
      expect(drops.reduce((total, event) => total + event.count, 0)).toBe(10);
      expect(drops.every((event) => event.reason === 'unauthorized')).toBe(true);
      expect(emulator.records()).toHaveLength(0);
    },
  );

  emulatorTest(
    'delivers while the app runs, without waiting for the stream to end',
    async ({ emulator }) => {
      const stream = await ltsTransport({ ...emulator.clientOptions(), lingerMs: 50 });
      const logger = pino(stream);
      for (let index = 0; index < 20; index++) logger.info(`record ${index}`);

      await emulator.waitForRecords(20, { timeoutMs: 10_000 });
      expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(20));
      await end(stream);
    },
  );
});

describe('in-process mode in a real program', () => {
  emulatorTest.for([
    ['stream.end()', 'end'],
    ['the natural end of the program', 'natural'],
  ] as const)(
    'delivers everything when the app ends with %s',
    async ([, exitMode], { emulator }) => {
      const run = await runNode([inProcessApp], {
        env: {
          FIXTURE: JSON.stringify({
            clientOptions: emulator.clientOptions(),
            records: 300,
            exitMode,
          }),
        },
      });

      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(exitMode === 'end' ? 'closed\n' : '');
      expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(300));
    },
  );
});

describe('options', () => {
  emulatorTest.for([
    [{ labelKeys: 'level' }, 'labelKeys'],
    [{ labelKeys: ['level', ''] }, 'labelKeys[1]'],
    [{ customLevels: { audit: 'high' } }, 'customLevels.audit'],
    [{ pauseOnBurst: 'yes' }, 'pauseOnBurst'],
    [{ labelkeys: ['level'] }, 'labelkeys'],
    [{ lingerMs: -1 }, 'lingerMs'],
  ] as const)('rejects %o naming %s', async ([extra, option], { emulator }) => {
    const attempt = ltsTransport({ ...emulator.clientOptions(), ...extra } as never);
    await expect(attempt).rejects.toBeInstanceOf(LtsOptionsError);
    await expect(attempt).rejects.toMatchObject({ option });
  });

  emulatorTest('never puts the token in an option error', async ({ emulator }) => {
    const token = `secret-${'s'.repeat(1200)}`;
    const attempt = ltsTransport({ ...emulator.clientOptions(), token, projectId: 'short' });
    await expect(attempt).rejects.toMatchObject({ option: 'projectId' });
    const error = await attempt.catch((caught: Error) => caught);
    expect(String(error)).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
  });

  emulatorTest(
    'ignores the keys pino.transport() adds and takes custom levels from its levels key',
    async ({ emulator }) => {
      const stream = await ltsTransport({
        ...emulator.clientOptions(),
        labelKeys: ['level'],
        pinoWillSendConfig: true,
        $context: { threadStreamVersion: '4.2.1' },
        levels: { audit: 35 },
      } as never);
      stream.write('{"level":35,"msg":"record 0"}\n');

      await end(stream);

      expect(emulator.records().map((record) => record.labels)).toEqual([{ level: 'audit' }]);
    },
  );
});
