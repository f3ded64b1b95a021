import type { Emulator } from '@logtank/emulator';
import { byTime, closedPort, emulatorTest, killChildren } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import type { AdapterApp, AdapterDriver, AppEnding } from './adapter-driver.ts';
import { fallbackContents, linesStartingWith, recordsInDropWarnings } from './output-lines.ts';
import { shutdownOutput } from './shutdown-output.ts';

// How a program that logs through the adapter ends, each way in a real child
// process against the emulator: what reaches LTS, what is reported on
// stderr, and that the app exits by itself.

/** Records `from` … `to - 1` as the app logs them. */
function expectedRecords(app: AdapterApp, from: number, to: number): unknown[] {
  return Array.from({ length: to - from }, (_, offset) => app.expectedRecord(from + offset));
}

/** The stored records in LTS time order, in the form the app's records are compared. */
function storedInTimeOrder(app: AdapterApp, emulator: Emulator): unknown[] {
  return byTime(emulator.records()).map((record) => app.recordOf(record.content));
}

/** The shared scenarios of how the program ends, for the endings the adapter's app has. */
export function describeExitScenarios(driver: AdapterDriver): void {
  const { app } = driver;
  const has = (ending: AppEnding) => app.endings.includes(ending);
  const clientOptionsWith = (emulator: Emulator, extra: object = {}) => ({
    ...emulator.clientOptions(),
    ...extra,
  });

  describe(`${driver.packageName}: the documented shutdown and other ways the program ends`, () => {
    // tokens: [] makes the emulator refuse every token but its own.
    emulatorTest.override({ emulatorOptions: { tokens: [] } });
    afterEach(() => killChildren());

    emulatorTest(
      'the documented shutdown delivers every record exactly once, in order, with the labels, before it completes; then the app exits by itself',
      async ({ emulator }) => {
        const run = await app.run({
          ending: 'end',
          records: 3000,
          // A long linger: only the shutdown can have sent the last batch.
          options: clientOptionsWith(emulator, {
            lingerMs: 60_000,
            maxBatchRecords: 500,
            labels: { app: 'checkout' },
          }),
        });
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(shutdownOutput(app));
        // No deprecation warnings, nothing else.
        expect(run.stderr).toBe('');
        expect(emulator.records()).toHaveLength(3000);
        expect(storedInTimeOrder(app, emulator)).toEqual(expectedRecords(app, 0, 3000));
        expect(new Set(emulator.records().map((record) => JSON.stringify(record.labels)))).toEqual(
          new Set([JSON.stringify({ app: 'checkout' })]),
        );
      },
    );

    if (has('end-then-exit')) {
      emulatorTest(
        'has delivered everything when the shutdown completes (process.exit in its callback loses nothing)',
        async ({ emulator }) => {
          const run = await app.run({
            ending: 'end-then-exit',
            records: 1000,
            options: clientOptionsWith(emulator, { lingerMs: 60_000 }),
          });
          expect(run.code).toBe(0);
          expect(run.stderr).toBe('');
          expect(storedInTimeOrder(app, emulator)).toEqual(expectedRecords(app, 0, 1000));
        },
      );
    }

    emulatorTest(
      'delivers everything at the natural end of the program, without the documented shutdown',
      async ({ emulator }) => {
        const run = await app.run({
          ending: 'natural',
          records: 800,
          options: clientOptionsWith(emulator, { lingerMs: 60_000 }),
        });
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('');
        expect(storedInTimeOrder(app, emulator)).toEqual(expectedRecords(app, 0, 800));
      },
    );

    if (has('sigterm')) {
      emulatorTest(
        'stopped by SIGTERM (how Kubernetes, Docker and systemd stop a process): every record is delivered before the process ends',
        async ({ emulator }) => {
          const run = await app.run({
            ending: 'sigterm',
            records: 600,
            options: clientOptionsWith(emulator, { lingerMs: 60_000 }),
          });
          // Ended by the signal itself, or by the exit code a shell gives it (128 + 15).
          expect(run.signal === 'SIGTERM' || run.code === 143, JSON.stringify(run)).toBe(true);
          expect(run.stderr).toBe('');
          expect(storedInTimeOrder(app, emulator)).toEqual(expectedRecords(app, 0, 600));
        },
      );
    }

    // pino's worker delivers on process.exit instead; its worker-mode tests say so.
    if (app.processExit === 'reported') {
      emulatorTest(
        'process.exit() right after logging without a spool: the loss is reported, never silent',
        async ({ emulator }) => {
          const run = await app.run({
            ending: 'exit',
            records: 100,
            options: clientOptionsWith(emulator, { lingerMs: 60_000 }),
          });
          expect(run.code).toBe(0);
          expect(emulator.records()).toHaveLength(0);
          expect(fallbackContents(run.stderr, 'process-exit')).toHaveLength(100);
        },
      );

      emulatorTest(
        'process.exit() with two label sets buffered: every dropped record is in a warning or in the summary of those held back',
        async ({ emulator }) => {
          const run = await app.run({
            ending: 'exit',
            records: 90,
            options: clientOptionsWith(emulator, {
              lingerMs: 60_000,
              // Two label sets: two batches, two drop reports within the 10 s throttle.
              labelKeys: ['level'],
            }),
          });
          expect(run.code).toBe(0);
          expect(emulator.records()).toHaveLength(0);
          expect(run.stderr).toMatch(
            /more drop report\(s\) covering \d+ record\(s\) were not shown/,
          );
          expect(recordsInDropWarnings(run.stderr)).toBe(90);
        },
      );
    }
  });

  // Both scenarios below need an app that reports its shutdown (pino's worker app does not).
  if (app.shutdownLine === undefined) return;

  describe(`${driver.packageName}: when LTS cannot take the logs`, () => {
    emulatorTest.override({ emulatorOptions: { tokens: [] } });
    afterEach(() => killChildren());

    emulatorTest(
      'LTS down: the shutdown completes within closeTimeoutMs, the loss is reported on stderr, and the app exits',
      async ({ emulator }) => {
        const closeTimeoutMs = 1500;
        const downOptions = clientOptionsWith(emulator, {
          endpoint: `http://127.0.0.1:${await closedPort()}`,
          closeTimeoutMs,
          // More attempts than the deadline allows: the deadline ends the retries.
          retry: { maxAttempts: 100 },
        });
        const run = await app.run({ ending: 'end', records: 50, options: downOptions });
        expect(run.code).toBe(0);
        const [, elapsedMs] = shutdownOutput(app).exec(run.stdout) ?? [];
        expect(Number(elapsedMs)).toBeGreaterThanOrEqual(closeTimeoutMs - 50);
        expect(Number(elapsedMs)).toBeLessThan(closeTimeoutMs + 2500);
        const warnings = run.stderr
          .split('\n')
          .filter((line) => line.includes('Warning: logtank:'));
        expect(warnings).toContainEqual(
          expect.stringMatching(
            /\[LOGTANK_DROP\] Warning: logtank: dropped 50 record\(s\) \(close-timeout\): /,
          ),
        );
        expect(warnings.length).toBeLessThanOrEqual(4);
        // Core's fallback writes the lost records themselves to stderr.
        expect(fallbackContents(run.stderr, 'close-timeout').map(app.recordOf)).toEqual(
          expectedRecords(app, 0, 50),
        );
        expect(run.stderr).not.toContain(downOptions.token);
      },
    );

    if (has('survive')) {
      emulatorTest(
        'a rejected token: no retry storm, the app keeps running, the token is never printed',
        async ({ emulator }) => {
          const token = `rejected-${'x'.repeat(1200)}`;
          const run = await app.run({
            ending: 'survive',
            records: 100,
            options: clientOptionsWith(emulator, { token, lingerMs: 50 }),
          });
          expect(run.code).toBe(0);
          expect(run.stdout).toMatch(shutdownOutput(app, 'alive\\n'));
          expect(emulator.records()).toHaveLength(0);
          // Two batches (before and after the pause), each refused once: no retry storm.
          const refused = emulator.requests();
          expect(refused.length).toBeGreaterThanOrEqual(1);
          expect(refused.length).toBeLessThanOrEqual(4);
          expect(refused.every((request) => request.status === 401)).toBe(true);
          expect(run.stderr).toMatch(/Warning: logtank: dropped \d+ record\(s\) \(unauthorized\)/);
          // Every lost record is written out by core's fallback, none is lost silently.
          expect(linesStartingWith(run.stderr, '[logtank unauthorized] ')).toHaveLength(200);
          for (const output of [run.stdout, run.stderr]) {
            expect(output).not.toContain(token);
            expect(output).not.toContain(token.slice(0, 40));
            expect(output).not.toContain(emulator.token);
          }
          for (const line of run.stderr.trimEnd().split('\n')) {
            expect(line).toMatch(
              /^(\[logtank unauthorized\] |\(node:\d+\) \[LOGTANK_|\(Use `node --trace-warnings)/,
            );
          }
        },
      );
    }
  });
}
