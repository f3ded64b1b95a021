import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExitScenarios, fallbackContents } from '@logtank/adapter-suite';
import type { Emulator } from '@logtank/emulator';
import {
  byTime,
  type ChildRun,
  closedPort,
  emulatorTest,
  killChildren,
} from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { expectedContent, runApp, winstonDriver } from './winston-driver.ts';

describeExitScenarios(winstonDriver);

// What only winston has: handleExceptions/handleRejections (winston ends the
// app after its own 3 s bound), and 'warn' events on the transport. Also
// process.exit() with a spool: its next start must end naturally, where
// log4js's shuts down at once (see below).

// tokens: [] makes the emulator refuse every token but its own.
emulatorTest.override({ emulatorOptions: { tokens: [] } });

let spoolDirectory: string | undefined;

afterEach(() => {
  killChildren();
  if (spoolDirectory !== undefined) rmSync(spoolDirectory, { recursive: true, force: true });
  spoolDirectory = undefined;
});

function expectedContents(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, offset) => expectedContent(from + offset));
}

/** The stored contents in LTS time order. */
function storedInTimeOrder(emulator: Emulator): string[] {
  return byTime(emulator.records()).map((record) => record.content);
}

/** What app.mjs measured from the fatal error to process.exit. */
function exitDelayMs(run: ChildRun): number {
  const [, code, delayMs] = /^exit (\d+) after (\d+) ms$/m.exec(run.stdout) ?? [];
  expect(code).toBe('1');
  return Number(delayMs);
}

describe('winston: handleExceptions and handleRejections', () => {
  emulatorTest(
    'handleExceptions: delivers the entries and the exception entry, then exits with code 1 like winston',
    async ({ emulator }) => {
      const run = await runApp('exception', {
        records: 500,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
      });
      expect(run.code).toBe(1);
      // The transport's finish came well before winston's 3 s limit.
      expect(exitDelayMs(run)).toBeLessThan(2000);
      const stored = storedInTimeOrder(emulator);
      expect(stored).toHaveLength(501);
      expect(stored.slice(0, 500)).toEqual(expectedContents(0, 500));
      const exception = JSON.parse(stored[500]!);
      expect(exception).toMatchObject({
        level: 'error',
        exception: true,
        message: expect.stringMatching(/^uncaughtException: unexpected failure\n/),
        stack: expect.stringContaining('Error: unexpected failure'),
      });
    },
  );

  emulatorTest(
    'handleRejections: delivers the entries and the rejection entry, then exits with code 1',
    async ({ emulator }) => {
      const run = await runApp('rejection', {
        records: 200,
        options: { ...emulator.clientOptions(), lingerMs: 60_000 },
      });
      expect(run.code).toBe(1);
      expect(exitDelayMs(run)).toBeLessThan(2000);
      const stored = storedInTimeOrder(emulator);
      expect(stored).toHaveLength(201);
      expect(stored.slice(0, 200)).toEqual(expectedContents(0, 200));
      expect(JSON.parse(stored[200]!)).toMatchObject({
        level: 'error',
        rejection: true,
        message: expect.stringMatching(/^unhandledRejection: unexpected rejection\n/),
      });
    },
  );

  emulatorTest(
    "handleExceptions with LTS down: winston's 3 s bound ends the app, the entries are reported, not lost silently",
    async ({ emulator }) => {
      const run = await runApp('exception', {
        records: 20,
        options: {
          ...emulator.clientOptions(),
          endpoint: `http://127.0.0.1:${await closedPort()}`,
          // Enough attempts that winston's 3 s bound, not maxAttempts, ends them.
          retry: { maxAttempts: 100 },
        },
      });
      expect(run.code).toBe(1);
      expect(exitDelayMs(run)).toBeGreaterThanOrEqual(2950);
      expect(exitDelayMs(run)).toBeLessThan(4500);
      const fallback = fallbackContents(run.stderr, 'process-exit');
      expect(fallback.slice(0, 20)).toEqual(expectedContents(0, 20));
      expect(fallback).toHaveLength(21);
      expect(fallback[20]).toContain('uncaughtException: unexpected failure');
    },
  );
});

describe('winston: process.exit() with a spool', () => {
  emulatorTest(
    'process.exit() right after logging: with a spool, the entries are delivered on the next start',
    async ({ emulator }) => {
      spoolDirectory = mkdtempSync(join(tmpdir(), 'logtank-winston-spool-'));
      const spool = { dir: spoolDirectory };
      const exited = await runApp('exit', {
        records: 1000,
        options: { ...emulator.clientOptions(), lingerMs: 60_000, spool },
      });
      expect(exited.code).toBe(0);
      expect(exited.stderr).toBe('');
      expect(emulator.records()).toHaveLength(0);
      expect(readdirSync(spoolDirectory).length).toBeGreaterThan(0);

      // The next start logs ten more and ends naturally. (Not logger.end() at once: core's
      // close() does not wait for a spool replay already on the wire; see the report.)
      const next = await runApp('natural', {
        records: 10,
        options: { ...emulator.clientOptions(), spool },
      });
      expect(next.code).toBe(0);
      expect(next.stderr).toBe('');
      const stored = emulator.records().map((record) => record.content);
      expect(stored).toHaveLength(1010);
      expect(stored.filter((content) => content.includes('"record 5"'))).toHaveLength(2);
      expect([...new Set(stored)].sort()).toEqual(expectedContents(0, 1000).sort());
      expect(readdirSync(spoolDirectory)).toEqual([]);
    },
  );
});

describe("winston: the transport's 'warn' events", () => {
  emulatorTest(
    'LTS down: a warn listener gets the failures as events instead of process warnings',
    async ({ emulator }) => {
      const run = await runApp('end', {
        records: 20,
        options: {
          ...emulator.clientOptions(),
          endpoint: `http://127.0.0.1:${await closedPort()}`,
          closeTimeoutMs: 500,
          // More attempts than 500 ms allows, so the close deadline, not maxAttempts, ends them.
          retry: { maxAttempts: 100 },
        },
        environment: { PRINT_WARNINGS: '1' },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^warn LtsDeliveryError: /m);
      expect(run.stdout).toMatch(
        /^warn LtsDropWarning: logtank dropped 20 record\(s\) \(close-timeout\): /m,
      );
      expect(run.stdout).toMatch(/^finish \d+$/m);
      expect(run.stderr).not.toContain('Warning: logtank');
    },
  );
});
