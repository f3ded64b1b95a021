import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExitScenarios } from '@logtank/adapter-suite';
import type { Emulator } from '@logtank/emulator';
import { byTime, emulatorTest, killChildren } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import {
  type EventSummary,
  expectedEvent,
  log4jsDriver,
  runApp,
  summaryOf,
} from './log4js-driver.ts';

describeExitScenarios(log4jsDriver);

// What only log4js has: labels from the category, and log4js.configure()
// called again while the appender of the first configuration still holds
// events. Also process.exit() with a spool: its next start shuts down at
// once, where winston's must end naturally (see winston's exit tests).

// tokens: [] makes the emulator refuse every token but its own.
emulatorTest.override({ emulatorOptions: { tokens: [] } });

afterEach(() => killChildren());

/** The stored events in time order. */
function storedInTimeOrder(emulator: Emulator): EventSummary[] {
  return byTime(emulator.records()).map((record) => summaryOf(record.content));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}

describe('log4js: what only a log4js app does', () => {
  emulatorTest(
    'splits requests by labelKeys and keeps each label set in order',
    async ({ emulator }) => {
      const run = await runApp('end', {
        records: 600,
        options: {
          ...emulator.clientOptions(),
          labels: { app: 'checkout' },
          labelKeys: ['category', 'level'],
        },
      });
      expect(run.code).toBe(0);
      const records = emulator.records();
      expect(records).toHaveLength(600);
      for (const record of records) {
        const { category, level } = JSON.parse(record.content);
        expect(record.labels).toEqual({ app: 'checkout', category, level });
      }
      const delivered = emulator.requests().filter((request) => request.status === 200);
      expect(delivered).toHaveLength(4);
      for (const category of ['http', 'db']) {
        for (const level of ['INFO', 'WARN']) {
          const inSet = byTime(
            records.filter(
              (record) => record.labels.category === category && record.labels.level === level,
            ),
          ).map((record) => JSON.parse(record.content).message);
          expect(inSet).toEqual(
            range(0, 600)
              .map(expectedEvent)
              .filter((entry) => entry.category === category && entry.level === level)
              .map((entry) => entry.message),
          );
        }
      }
    },
  );

  emulatorTest(
    'with a spool, keeps what process.exit() cut off and delivers it on the next start',
    async ({ emulator }) => {
      const directory = mkdtempSync(join(tmpdir(), 'logtank-log4js-spool-'));
      try {
        const options = {
          ...emulator.clientOptions(),
          lingerMs: 60_000,
          spool: { dir: directory },
        };
        const exited = await runApp('exit', { records: 500, options });
        expect(exited.code).toBe(0);
        expect(emulator.records()).toHaveLength(0);
        expect(readdirSync(directory).length).toBeGreaterThan(0);

        // The next run, however short (it logs nothing and shuts down at once), delivers it once, in order.
        const restarted = await runApp('end', {
          records: 0,
          options: { ...options, lingerMs: 50 },
        });
        expect(restarted.code).toBe(0);
        await emulator.waitForRecords(500, { timeoutMs: 10_000 });
        expect(storedInTimeOrder(emulator)).toEqual(range(0, 500).map(expectedEvent));
        expect(readdirSync(directory)).toEqual([]);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );

  emulatorTest(
    'loses nothing of the first config when log4js.configure() runs again',
    async ({ emulator }) => {
      const run = await runApp('reconfigure', {
        records: 200,
        options: { ...emulator.clientOptions(), lingerMs: 60_000, labels: { phase: 'first' } },
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      const records = emulator.records();
      expect(records).toHaveLength(400);
      const messagesOf = (phase: string) =>
        byTime(records.filter((record) => record.labels.phase === phase)).map(
          (record) => JSON.parse(record.content).message,
        );
      expect(messagesOf('first')).toEqual(range(0, 200).map((index) => `record ${index}`));
      expect(messagesOf('second')).toEqual(range(200, 400).map((index) => `record ${index}`));
    },
  );
});
