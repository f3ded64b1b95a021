import { emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { endAllLoggers, endLogger, ltsLogger } from './winston-harness.ts';

afterEach(async () => {
  await endAllLoggers();
});

describe('labelKeys values through winston', () => {
  emulatorTest(
    'are plain text: a Date as ISO (not JSON-quoted), numbers, booleans, objects as compact JSON',
    async ({ emulator }) => {
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
    },
  );
});
