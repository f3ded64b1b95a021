import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LtsClient } from '@logtank/core';
import type { Emulator } from '@logtank/emulator';
import { closedPort, emulatorTest, killChildren, startProcess } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';

// A real app process, stopped by a real signal, against the emulator: what
// Kubernetes, Docker and systemd do (SIGTERM) and what Ctrl-C does (SIGINT).

const app = fileURLToPath(new URL('./fixtures/signal-app.mjs', import.meta.url));

interface SignalRun {
  mode: 'none' | 'app-handler' | 'app-exit-later' | 'alone-exit' | 'signal-exit';
  records: number;
  options: object;
  signal?: NodeJS.Signals;
}

const tsx = fileURLToPath(import.meta.resolve('tsx/cli'));

/** Starts the app (under tsx's CLI with `underTsx`) and sends it `signal` once it has logged its records. */
function stopBySignal(run: SignalRun & { underTsx?: boolean }) {
  return startProcess(process.execPath, run.underTsx ? [tsx, app] : [app], {
    env: {
      MODE: run.mode,
      ...(run.underTsx ? { UNDER_TSX: '1' } : {}),
      RECORDS: String(run.records),
      CLIENT_OPTIONS: JSON.stringify(run.options),
    },
    signal: { name: run.signal ?? 'SIGTERM', when: (stdout) => stdout.includes('ready\n') },
    timeoutMs: 20_000,
  });
}

/**
 * Client options for an LTS that cannot be reached, with more attempts than
 * fit in `closeTimeoutMs`: the deadline, not retry.maxAttempts, ends delivery.
 */
async function unreachable(emulator: Emulator, closeTimeoutMs: number) {
  return {
    ...emulator.clientOptions(),
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    closeTimeoutMs,
    retry: { maxAttempts: 100 },
  };
}

const contents = (count: number) =>
  Array.from({ length: count }, (_, index) => `signal-app ${index}`);

/** Lines the stderr fallback wrote for records dropped with `reason`. */
const fallbackLines = (stderr: string, reason: string) =>
  stderr.split('\n').filter((line) => line.startsWith(`[logtank ${reason}] signal-app `));

describe('a signal ends the process', () => {
  afterEach(() => killChildren());

  emulatorTest.for(['SIGTERM', 'SIGINT'] as const)(
    '%s with no listener of the app: everything buffered is delivered, then the same signal ends the process',
    async (signal, { emulator }) => {
      const run = await stopBySignal({
        mode: 'none',
        records: 500,
        // A long linger: only the signal handling can have sent the records.
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
        signal,
      }).exited;
      expect(run.signal, run.stderr).toBe(signal);
      expect(run.stderr).toBe('');
      expect(emulator.records().map((record) => record.content)).toEqual(contents(500));
    },
  );

  emulatorTest(
    "signals: false leaves Node's default: SIGTERM ends the process at once",
    async ({ emulator }) => {
      const run = await stopBySignal({
        mode: 'none',
        records: 50,
        options: { ...emulator.clientOptions(), lingerMs: 60_000, signals: false },
      }).exited;
      expect(run.signal).toBe('SIGTERM');
      expect(emulator.records()).toHaveLength(0);
    },
  );

  emulatorTest(
    "the app's own SIGTERM listener decides: its graceful shutdown runs to the end, logging included",
    async ({ emulator }) => {
      const run = await stopBySignal({
        mode: 'app-handler',
        records: 200,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
      }).exited;
      expect(run.code, run.stderr).toBe(0);
      expect(emulator.records().map((record) => record.content)).toEqual([
        ...contents(200),
        'app-handler stopping',
      ]);
    },
  );

  emulatorTest(
    "with the app's own listener, what is buffered is sent at once, not after lingerMs",
    async ({ emulator }) => {
      const run = await stopBySignal({
        mode: 'app-exit-later',
        records: 200,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
      }).exited;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(emulator.records().map((record) => record.content)).toEqual(contents(200));
    },
  );

  emulatorTest(
    'a listener that ends the process only when it is alone and shows itself (as older tsx versions had) still ends it; the records are reported, not lost silently',
    async ({ emulator }) => {
      const run = await stopBySignal({
        mode: 'alone-exit',
        records: 30,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
      }).exited;
      expect(run.code).toBe(143);
      expect(fallbackLines(run.stderr, 'process-exit')).toHaveLength(30);
    },
  );

  emulatorTest(
    'with signal-exit loaded: logtank delivers first, then signal-exit runs its callbacks and ends the process',
    async ({ emulator }) => {
      const run = await stopBySignal({
        mode: 'signal-exit',
        records: 300,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
      }).exited;
      expect(run.signal, run.stderr).toBe('SIGTERM');
      expect(run.stdout).toContain('signal-exit ran null SIGTERM');
      expect(emulator.records().map((record) => record.content)).toEqual(contents(300));
    },
  );

  // tsx runs the app in a child whose listener (hidden from process.listeners())
  // exits when no other listener is left; the signal goes to tsx, which relays it.
  emulatorTest.for(['none', 'signal-exit'] as const)(
    'under tsx (app: %s): delivered first, then the process ends as tsx ends it',
    async (mode, { emulator }) => {
      const run = await stopBySignal({
        mode,
        records: 200,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
        underTsx: true,
      }).exited;
      expect(run.code === 143 || run.signal === 'SIGTERM', JSON.stringify(run)).toBe(true);
      expect(run.stderr).toBe('');
      if (mode === 'signal-exit') expect(run.stdout).toMatch(/signal-exit ran/);
      expect(emulator.records().map((record) => record.content)).toEqual(contents(200));
    },
  );

  emulatorTest(
    'LTS down: the process ends after closeTimeoutMs, and each record is reported and written out',
    async ({ emulator }) => {
      const run = await stopBySignal({
        mode: 'none',
        records: 40,
        options: await unreachable(emulator, 1000),
      }).exited;
      expect(run.signal).toBe('SIGTERM');
      expect(run.stderr).toMatch(
        /\[LOGTANK_DROP\] Warning: logtank: dropped 40 record\(s\) \(close-timeout\)/,
      );
      expect(fallbackLines(run.stderr, 'close-timeout')).toHaveLength(40);
      // The configured bound, and the records in the order they were logged.
      expect(run.stderr).toMatch(/not delivered within 1000 ms of close/);
      expect(fallbackLines(run.stderr, 'close-timeout')).toEqual(
        contents(40).map((content) => `[logtank close-timeout] ${content}`),
      );
      expect(run.elapsedMs).toBeLessThan(10_000);
    },
  );

  emulatorTest(
    'a second signal ends the process at once; what was left is written out and reported',
    async ({ emulator }) => {
      const started = stopBySignal({
        mode: 'none',
        records: 40,
        options: await unreachable(emulator, 15_000),
      });
      // The first SIGTERM is sent on `ready`; the second one a moment later.
      const poll = setInterval(() => {
        if (!started.output().stdout.includes('ready\n')) return;
        clearInterval(poll);
        setTimeout(() => started.child.kill('SIGTERM'), 300);
      }, 20);
      const run = await started.exited.finally(() => clearInterval(poll));
      expect(run.signal).toBe('SIGTERM');
      expect(run.elapsedMs).toBeLessThan(10_000);
      expect(fallbackLines(run.stderr, 'process-exit')).toHaveLength(40);
      expect(run.stderr).toMatch(/dropped 40 record\(s\) \(process-exit\)/);
    },
  );

  emulatorTest(
    'LTS down with a spool: what a signal stopped is on disk, and the next run delivers it',
    async ({ emulator }) => {
      const directory = mkdtempSync(join(tmpdir(), 'logtank-signal-spool-'));
      try {
        const run = await stopBySignal({
          mode: 'none',
          records: 120,
          options: {
            ...(await unreachable(emulator, 500)),
            spool: { dir: directory },
          },
        }).exited;
        expect(run.signal).toBe('SIGTERM');
        expect(emulator.records()).toHaveLength(0);
        // The next run of the app, with LTS back.
        const next = new LtsClient({ ...emulator.clientOptions(), spool: { dir: directory } });
        await next.close();
        expect(emulator.records().map((record) => record.content)).toEqual(contents(120));
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );
});
