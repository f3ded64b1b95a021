import type { Emulator } from '@logtank/emulator';
import { closedPort, emulatorTest } from '@logtank/test-support';
import { describe, expect } from 'vitest';
import { runApp as runFixture, startApp } from './support.ts';

const runApp = (environment: Record<string, string>) => runFixture('exit-app.mjs', environment);

describe('process exit', () => {
  emulatorTest(
    'delivers what is buffered when the program simply reaches its end',
    async ({ emulator }) => {
      const run = await runApp({
        EXIT_MODE: 'natural',
        RECORDS: '500',
        CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 60_000 }),
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(emulator.records().map((record) => record.content)).toEqual(
        Array.from({ length: 500 }, (_, index) => `exit-app ${index}`),
      );
    },
  );

  emulatorTest(
    'delivers everything on close() and reports balanced stats',
    async ({ emulator }) => {
      const run = await runApp({
        EXIT_MODE: 'close',
        RECORDS: '2000',
        CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
      });
      expect(run.code).toBe(0);
      const stats = JSON.parse(run.stdout.replace(/^closed /, ''));
      expect(stats).toMatchObject({ sent: 2000, delivered: 2000, dropped: 0, buffered: 0 });
      expect(emulator.records()).toHaveLength(2000);
    },
  );

  emulatorTest(
    'exits promptly when LTS is unreachable, reporting the records it could not deliver',
    async ({ emulator }) => {
      const run = await runApp({
        EXIT_MODE: 'natural',
        RECORDS: '10',
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions(),
          endpoint: `http://127.0.0.1:${await closedPort()}`,
          closeTimeoutMs: 1000,
          // More attempts than the second allows: the deadline ends the retries.
          retry: { maxAttempts: 100 },
        }),
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('drop close-timeout 10');
      expect(run.elapsedMs).toBeLessThan(8000);
    },
  );

  emulatorTest(
    'reports records lost to process.exit() instead of losing them silently',
    async ({ emulator }) => {
      const run = await runApp({
        EXIT_MODE: 'process-exit',
        RECORDS: '10',
        CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('drop process-exit 10');
    },
  );

  emulatorTest(
    'without onDrop, warns about records lost to process.exit() before the process is gone',
    async ({ emulator }) => {
      const run = await runApp({
        EXIT_MODE: 'process-exit',
        RECORDS: '3',
        NO_ON_DROP: '1',
        CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /\[LOGTANK_DROP\] Warning: logtank: dropped 3 record\(s\) \(process-exit\)/,
      );
      // ...and the fallback wrote each record.
      expect(run.stderr.match(/\[logtank process-exit\] exit-app \d/g)).toHaveLength(3);
    },
  );

  emulatorTest('does not keep an idle process alive', async ({ emulator }) => {
    const run = await runApp({
      EXIT_MODE: 'natural',
      RECORDS: '0',
      CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeLessThan(5000);
  });

  /** An LtsClient in a worker thread, LTS down: 3,000 records end on stderr at close (300 ms). */
  const startWorkerFallbackApp = async (emulator: Emulator) =>
    startApp('worker-fallback-app.mjs', {
      RECORDS: '3000',
      CLIENT_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        closeTimeoutMs: 300,
      }),
    });

  emulatorTest(
    'from a worker thread, writes every fallback record to stderr even while the reader lags',
    async ({ emulator }) => {
      // 3,000 records of ~230 bytes: far more than a pipe holds, so the worker's writes
      // meet a full pipe (EAGAIN) until the reader, paused here for 500 ms, catches up.
      const started = await startWorkerFallbackApp(emulator);
      started.child.stderr?.pause();
      setTimeout(() => started.child.stderr?.resume(), 500);
      const run = await started.exited;
      expect(run.code, run.stdout).toBe(0);
      expect(run.stderr.match(/^\[logtank close-timeout\] worker-fallback \d+ x+$/gm)).toHaveLength(
        3000,
      );
    },
  );

  emulatorTest(
    'from a worker thread, does not hang on a stderr that nobody reads',
    async ({ emulator }) => {
      const started = await startWorkerFallbackApp(emulator);
      // Read nothing until the process has exited (the pipe is drained only to end the run).
      started.child.stderr?.pause();
      started.child.on('exit', () => started.child.stderr?.resume());
      const run = await started.exited;
      expect(run.code, run.stdout).toBe(0);
      // Start-up, the 300 ms close timeout and one 2 s wait for the reader, on a busy machine.
      expect(run.elapsedMs).toBeLessThan(9000);
    },
  );
});
