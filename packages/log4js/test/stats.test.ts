import { stats } from '@logtank/log4js';
import { emulatorTest } from '@logtank/test-support';
import { describe, expect } from 'vitest';
import { configureLts, log4js, shutdownLog4js } from './log4js-harness.ts';

describe('stats()', () => {
  emulatorTest(
    'gives the counters of the appenders log4js configured, also after log4js.shutdown()',
    async ({ emulator }) => {
      const before = stats().length;
      configureLts({ ...emulator.clientOptions(), lingerMs: 5 });
      const logger = log4js.getLogger('counted');
      for (let index = 0; index < 5; index++) logger.info(`record ${index}`);
      await shutdownLog4js();
      const counted = stats();
      expect(counted).toHaveLength(before + 1);
      expect(counted.at(-1)).toMatchObject({ sent: 5, delivered: 5, dropped: 0 });
      expect(emulator.records()).toHaveLength(5);
    },
  );
});
