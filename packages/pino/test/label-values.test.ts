import { type Emulator, startEmulator } from '@logtank/emulator';
import { ltsTransport } from '@logtank/pino';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(() => emulator.stop());

describe('labelKeys values through pino', () => {
  it('are plain text by core’s rule: objects as compact JSON, numbers and booleans as written', async () => {
    const stream = await ltsTransport({
      ...emulator.clientOptions(),
      lingerMs: 10,
      labelKeys: ['level', 'attempt', 'retried', 'region', 'absent'],
    });
    const logger = pino(stream);
    logger.info({ attempt: 2, retried: false, region: { name: 'cn-north-4' }, absent: null }, 'x');
    stream.end();
    await new Promise((resolve) => stream.once('close', resolve));
    expect(emulator.records()[0]!.labels).toEqual({
      level: 'info',
      attempt: '2',
      retried: 'false',
      region: '{"name":"cn-north-4"}',
    });
  });
});
