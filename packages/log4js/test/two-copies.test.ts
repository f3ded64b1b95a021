import { emulatorTest, killChildren } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { runFixture } from './run-fixture.ts';

afterEach(() => killChildren());

describe('an ESM app whose log4js loads the CommonJS build (two copies of core)', () => {
  emulatorTest(
    'recognises the errors of either copy, shares one pair of exit listeners and says once-only warnings once',
    async ({ emulator }) => {
      const run = await runFixture('two-copies.mjs', {
        FIXTURE_CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
      });
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
      expect(report).toEqual({
        twoCopies: true,
        caughtIsEsmClass: true,
        caughtIsCommonJsClass: true,
        code: 'LTS_OPTIONS',
        option: 'maxBatchRecords',
        exitListenersAdded: 1,
        insecureWarnings: 1,
      });
      // Both copies delivered at the natural end of the program.
      expect(
        emulator
          .records()
          .map((record) => record.content)
          .sort(),
      ).toEqual(['from the CommonJS copy', 'from the ESM copy']);
    },
  );
});
