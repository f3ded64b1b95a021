import { hostname } from 'node:os';
import { describeExitScenarios } from '@logtank/adapter-suite';
import { byTime, emulatorTest, killChildren } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import {
  expectEachOnceInOrderPerLabelSet,
  messageOf,
  nanoseconds,
  numberedMessages,
  type StoredRecord,
} from './helpers/records.ts';
import { truncationMarker } from './helpers/truncation-marker.ts';
import { runWorkerApp } from './helpers/worker-app.ts';
import { pinoDriver } from './pino-driver.ts';

// pino.transport({ target: '@logtank/pino' }) in a child process, against the emulator.

// The shared scenarios of how the program ends: pino's worker app joins those
// of the documented shutdown and the natural end. On process.exit() its
// worker delivers rather than reports, as the first test below says.
describeExitScenarios(pinoDriver);

// Checking tokens: only emulator.token is accepted, so a wrong one is refused (401).
emulatorTest.override({ emulatorOptions: { tokens: [] } });

afterEach(() => killChildren());

/**
 * Every record of the custom-levels app arrived once, in order per label set,
 * labelled with its level's name (the app cycles through pino's levels and
 * its own audit and notice).
 */
function expectCustomLevelLabels(records: readonly StoredRecord[], count: number): void {
  const cycle = ['trace', 'debug', 'info', 'audit', 'notice', 'warn', 'error', 'fatal'];
  expectEachOnceInOrderPerLabelSet(records, count);
  for (const record of records) {
    const { index } = JSON.parse(record.content) as { index: number };
    expect(record.labels).toEqual({ level: cycle[index % cycle.length] });
  }
}

describe('worker mode: every record delivered exactly once, in order, and the app exits by itself', () => {
  emulatorTest.for([
    ['transport.end()', 'end'],
    ['the natural end of the program', 'natural'],
    ['process.exit() right after logging', 'exit'],
  ] as const)('when the app ends with %s', async ([, exitMode], { emulator }) => {
    const { run } = await runWorkerApp({
      clientOptions: { ...emulator.clientOptions(), labels: { app: 'fixture' } },
      // A long linger: nothing is sent before the app ends, so the exit path does all the work.
      transportOptions: { labelKeys: ['level'], lingerMs: 60_000 },
      records: 500,
      exitMode,
    });

    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeLessThan(15_000);
    expect(run.stderr).toBe('');
    const records = byTime(emulator.records());
    expect(records.map(messageOf)).toEqual(numberedMessages(500));
    for (const record of records) expect(record.labels).toEqual({ app: 'fixture', level: 'info' });
  });
});

describe('worker mode: a close timeout pino cannot wait for', () => {
  emulatorTest(
    'warns at start when closeTimeoutMs is near the 10 s pino gives its worker at exit',
    async ({ emulator }) => {
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { closeTimeoutMs: 15_000 },
        records: 10,
        exitMode: 'end',
      });
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /\[LOGTANK_CLOSE_TIMEOUT\] Warning: logtank: closeTimeoutMs 15000 is too close to the 10 s/,
      );
      expect(emulator.records()).toHaveLength(10);
    },
  );
});

describe("worker mode: 'ready' before pino() is called", () => {
  emulatorTest(
    'is ready in well under 2 s without pino’s configuration, and custom levels still get their names',
    async ({ emulator }) => {
      const { run, result } = await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { labelKeys: ['level'] },
        variant: 'custom-levels',
        // The app gives up (and kills itself) if 'ready' takes longer.
        awaitReadyMs: 2000,
        records: 80,
        exitMode: 'end',
      });

      expect(result?.readyMs, run.stderr).toBeTypeOf('number');
      expect(result?.readyMs).toBeLessThan(2000);
      expect(run.code, run.stderr).toBe(0);
      // pino's levels reach the worker in a message that can come just after
      // the first lines (measured: most runs): those lines wait for it.
      expectCustomLevelLabels(emulator.records(), 80);
    },
  );
});

describe('worker mode: a line without end (maxLineBytes)', () => {
  emulatorTest(
    'holds at most maxLineBytes of a 200 MB line, ships it cut with its whole size, then the lines after it',
    async ({ emulator }) => {
      const longLineBytes = 200 * 1024 * 1024;
      const maxLineBytes = 64 * 1024;
      const { run, result } = await runWorkerApp(
        {
          clientOptions: emulator.clientOptions(),
          transportOptions: { maxLineBytes },
          longLineBytes,
          records: 20,
          exitMode: 'end',
        },
        { timeoutMs: 60_000 },
      );

      expect(run.code, run.stderr).toBe(0);
      // The app, pino and the worker together; the line alone would be 200 MB (1.1 GB before).
      expect(result?.peakRssBytes).toBeLessThan(200 * 1024 * 1024);
      // The cut line has no time of its own: it is stored at its arrival, after the records' own times.
      const records = byTime(emulator.records());
      const cut = records.find((record) => record.content.startsWith('x'));
      const after = records.filter((record) => record !== cut);
      expect(cut?.content.endsWith(truncationMarker(longLineBytes))).toBe(true);
      expect(cut?.content).toMatch(/^x+…/);
      expect(Buffer.byteLength(cut?.content ?? '')).toBeLessThanOrEqual(maxLineBytes);
      expect(after.map(messageOf)).toEqual(numberedMessages(20));
    },
  );
});

describe('worker mode: logger.flush()', () => {
  emulatorTest('calls back once everything logged so far is delivered', async ({ emulator }) => {
    const { run } = await runWorkerApp(
      {
        clientOptions: emulator.clientOptions(),
        // Without a real flush nothing would be sent for a minute.
        transportOptions: { lingerMs: 60_000 },
        records: 300,
        exitMode: 'flush',
      },
      { signal: { name: 'SIGKILL', when: (stdout) => stdout.includes('flushed') } },
    );

    expect(run.stdout).toBe('flushed\n');
    expect(run.signal).toBe('SIGKILL');
    expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(300));
  });
});

describe('worker mode: what is sent', () => {
  emulatorTest('sends each line byte for byte as pino wrote it', async ({ emulator }) => {
    const { run, result } = await runWorkerApp({
      clientOptions: emulator.clientOptions(),
      variant: 'twin',
      baseTime: Date.now(),
      records: 200,
      exitMode: 'end',
    });

    expect(run.code).toBe(0);
    expect(result?.twinLines).toHaveLength(200);
    expect(byTime(emulator.records()).map((record) => record.content)).toEqual(result?.twinLines);
  });

  emulatorTest('takes the time from pino epoch milliseconds', async ({ emulator }) => {
    await runWorkerApp({
      clientOptions: { ...emulator.clientOptions(), api: 'high-accuracy' },
      records: 50,
      exitMode: 'end',
    });

    const records = emulator.records();
    expect(records).toHaveLength(50);
    for (const record of records) {
      const written = nanoseconds((JSON.parse(record.content) as { time: number }).time);
      // Same millisecond; core keeps equal times strictly increasing by adding nanoseconds.
      expect(record.timeNs >= written && record.timeNs < written + 1_000_000n).toBe(true);
    }
  });

  emulatorTest('takes the time from pino isoTime strings', async ({ emulator }) => {
    await runWorkerApp({
      clientOptions: { ...emulator.clientOptions(), api: 'high-accuracy' },
      variant: 'iso',
      records: 50,
      exitMode: 'end',
    });

    const records = emulator.records();
    expect(records).toHaveLength(50);
    for (const record of records) {
      const { time } = JSON.parse(record.content) as { time: string };
      expect(typeof time).toBe('string');
      const written = nanoseconds(Date.parse(time));
      expect(record.timeNs >= written && record.timeNs < written + 1_000_000n).toBe(true);
    }
  });

  emulatorTest('takes the time from pino unixTime seconds', async ({ emulator }) => {
    await runWorkerApp({
      clientOptions: { ...emulator.clientOptions(), api: 'high-accuracy' },
      variant: 'unix',
      records: 20,
      exitMode: 'end',
    });

    const records = emulator.records();
    expect(records).toHaveLength(20);
    for (const record of records) {
      const written = nanoseconds((JSON.parse(record.content) as { time: number }).time * 1000);
      expect(record.timeNs >= written && record.timeNs < written + 1_000_000_000n).toBe(true);
    }
  });

  emulatorTest(
    'falls back to the time of arrival without a time field (timestamp: false)',
    async ({ emulator }) => {
      const before = Date.now();
      const { result } = await runWorkerApp({
        clientOptions: { ...emulator.clientOptions(), api: 'high-accuracy' },
        variant: 'no-time',
        records: 20,
        exitMode: 'end',
      });
      const after = Date.now();

      const records = byTime(emulator.records());
      expect(records.map(messageOf)).toEqual(numberedMessages(20));
      expect(records[0]?.content).not.toContain('"time"');
      for (const record of records) {
        expect(record.timeNs >= nanoseconds(result?.startedAt ?? before)).toBe(true);
        expect(record.timeNs <= nanoseconds(after)).toBe(true);
      }
    },
  );

  emulatorTest(
    'labels custom levels with their names from the pino config',
    async ({ emulator }) => {
      await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { labelKeys: ['level'] },
        variant: 'custom-levels',
        records: 80,
        exitMode: 'end',
      });

      expectCustomLevelLabels(emulator.records(), 80);
    },
  );

  emulatorTest('labels top-level and nested fields named in labelKeys', async ({ emulator }) => {
    await runWorkerApp({
      clientOptions: emulator.clientOptions(),
      transportOptions: { labelKeys: ['level', 'hostname', 'req.method'] },
      records: 40,
      exitMode: 'end',
    });

    const records = emulator.records();
    expectEachOnceInOrderPerLabelSet(records, 40);
    for (const record of records) {
      const { index } = JSON.parse(record.content) as { index: number };
      expect(record.labels).toEqual({
        level: 'info',
        hostname: hostname(),
        'req.method': index % 2 === 0 ? 'GET' : 'POST',
      });
    }
  });

  emulatorTest('fails loudly and names the option when an option is bad', async ({ emulator }) => {
    const { run } = await runWorkerApp({
      clientOptions: emulator.clientOptions(),
      transportOptions: { labelKeys: 'level' },
      records: 5,
      exitMode: 'natural',
    });

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('option labelKeys must be an array');
    expect(emulator.records()).toHaveLength(0);
  });
});
