import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killChildren, reportOf, runFixture } from './support/children.ts';
import { recordFigure, saveFigures } from './support/figures.ts';
import { secretToken, Transcript } from './support/secrets.ts';
import { checkSequences } from './support/sequence.ts';

// A running app is told to stop (SIGTERM) while it logs, and handles it the
// way its framework documents: winston `logger.end()` then exit on `finish`,
// pino `transport.end()`, log4js `log4js.shutdown(cb)`.

let emulator: Emulator;
const transcript = new Transcript();

beforeEach(async () => {
  emulator = await startEmulator({ tokens: [secretToken] });
  // Slow answers: records are still in flight when the signal arrives.
  emulator.faults.latency(50);
});

afterEach(async () => {
  killChildren();
  await emulator.stop();
  expect(transcript.leaks()).toEqual([]);
  transcript.clear();
});

afterAll(() => saveFigures('shutdown'));

describe('SIGTERM while logging', () => {
  it.each(['winston', 'pino', 'log4js'] as const)(
    '%s: the documented shutdown on SIGTERM delivers every record logged',
    async (framework) => {
      const run = await runFixture('app.mjs', {
        fixture: {
          framework,
          clientOptions: emulator.clientOptions({ token: secretToken }),
          options: { lingerMs: 200, maxBatchRecords: 500 },
          mode: 'sigterm',
          perTick: 50,
          paceMs: 10,
          readyAfter: 1000,
        },
        signal: { name: 'SIGTERM', when: (stdout) => stdout.includes('ready') },
        // Node's own debug output is part of what must not show the token.
        env: { NODE_DEBUG: 'http,net,tls,undici,fetch' },
        timeoutMs: 30_000,
      });
      transcript.add(run.stdout);
      transcript.add(run.stderr);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      const report = reportOf<{ sent: number; drops: unknown[] }>(run);
      expect(report.sent).toBeGreaterThanOrEqual(1000);
      const check = checkSequences(
        emulator.records().map((record) => record.content),
        report.sent,
      );
      expect(check).toEqual({ unique: report.sent, duplicates: 0, missing: [], strangers: [] });
      expect(report.drops).toEqual([]);
      recordFigure({
        area: 'shutdown',
        scenario: `${framework}: SIGTERM while logging 5,000 records/s; server latency 50 ms`,
        amount: `${report.sent} records`,
        outcome: `${check.unique}/${report.sent} delivered, 0 duplicates, 0 dropped; child exited 0 after ${run.elapsedMs.toFixed(0)} ms; ${run.stderr.length} bytes of NODE_DEBUG stderr scanned`,
      });
    },
  );
});
