import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endAllLoggers, endLogger, ltsLogger } from './winston-harness.ts';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await endAllLoggers();
  await emulator.stop();
});

describe('labelKeys values through winston', () => {
  it('are plain text: a Date as ISO (not JSON-quoted), numbers, booleans, objects as compact JSON', async () => {
    const { logger } = ltsLogger({
      ...emulator.clientOptions(),
      lingerMs: 10,
      labelKeys: ['level', 'since', 'attempt', 'retried', 'region'],
    });
    logger.info('labelled', {
      since: new Date(0),
      attempt: 2,
      retried: false,
      region: { name: 'cn-north-4' },
    });
    await endLogger(logger);
    expect(emulator.records()[0]!.labels).toEqual({
      level: 'info',
      since: '1970-01-01T00:00:00.000Z',
      attempt: '2',
      retried: 'false',
      region: '{"name":"cn-north-4"}',
    });
  });
});
