import { ltsTransport } from '@logtank/pino';
import { emulatorTest } from '@logtank/test-support';
import pino from 'pino';
import { describe, expect } from 'vitest';

describe('the in-process stream', () => {
  emulatorTest(
    'gives the client’s counters with stats(), also after it closed',
    async ({ emulator }) => {
      const stream = await ltsTransport({ ...emulator.clientOptions(), lingerMs: 5 });
      const logger = pino(stream);
      for (let index = 0; index < 7; index++) logger.info(`record ${index}`);
      logger.info('');
      stream.end();
      await new Promise((resolve) => stream.once('close', resolve));
      expect(stream.stats()).toMatchObject({ sent: 8, delivered: 8, dropped: 0 });
      expect(emulator.records()).toHaveLength(8);
    },
  );
});
