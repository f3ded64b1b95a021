import { ltsTransport } from '@logtank/pino';
import { emulatorTest } from '@logtank/test-support';
import pino from 'pino';
import { describe, expect } from 'vitest';

describe('labelKeys values through pino', () => {
  emulatorTest(
    'are plain text by core’s rule: objects as compact JSON, numbers and booleans as written',
    async ({ emulator }) => {
      const stream = await ltsTransport({
        ...emulator.clientOptions(),
        lingerMs: 10,
        labelKeys: ['level', 'attempt', 'retried', 'region', 'absent'],
      });
      const logger = pino(stream);
      logger.info(
        { attempt: 2, retried: false, region: { name: 'cn-north-4' }, absent: null },
        'x',
      );
      stream.end();
      await new Promise((resolve) => stream.once('close', resolve));
      expect(emulator.records()[0]!.labels).toEqual({
        level: 'info',
        attempt: '2',
        retried: 'false',
        region: '{"name":"cn-north-4"}',
      });
    },
  );
});
