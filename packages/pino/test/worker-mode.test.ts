import { hostname } from 'node:os';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { killChildren } from '@logtank/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  byTime,
  expectEachOnceInOrderPerLabelSet,
  messageOf,
  nanoseconds,
  numberedMessages,
} from './helpers/records.ts';
import { truncationMarker } from './helpers/truncation-marker.ts';
import { runWorkerApp } from './helpers/worker-app.ts';

// pino.transport({ target: '@logtank/pino' }) in a child process, against the emulator.

let emulator: Emulator;

beforeEach(async () => {
  // Checking tokens: only emulator.token is accepted, so a wrong one is refused (401).
  emulator = await startEmulator({ tokens: [] });
});

afterEach(async () => {
  killChildren();
  await emulator.stop();
});

describe('worker mode: every record delivered exactly once, in order, and the app exits by itself', () => {
  it.each([
    ['transport.end()', 'end'],
    ['the natural end of the program', 'natural'],
    ['process.exit() right after logging', 'exit'],
  ] as const)('when the app ends with %s', async (_, exitMode) => {
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

describe("worker mode: 'ready' before pino() is called", () => {
  it('is ready in well under 2 s without pino’s configuration, and custom levels still get their names', async () => {
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
    const cycle = ['trace', 'debug', 'info', 'audit', 'notice', 'warn', 'error', 'fatal'];
    const records = emulator.records();
    expectEachOnceInOrderPerLabelSet(records, 80);
    for (const record of records) {
      const { index } = JSON.parse(record.content) as { index: number };
      expect(record.labels).toEqual({ level: cycle[index % cycle.length] });
    }
  });
});

describe('worker mode: a line without end (maxLineBytes)', () => {
  it('holds at most maxLineBytes of a 200 MB line, ships it cut with its whole size, then the lines after it', async () => {
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
  });
});

describe('worker mode: logger.flush()', () => {
  it('calls back once everything logged so far is delivered', async () => {
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
  it('sends each line byte for byte as pino wrote it', async () => {
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

  it('takes the time from pino epoch milliseconds', async () => {
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

  it('takes the time from pino isoTime strings', async () => {
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

  it('takes the time from pino unixTime seconds', async () => {
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

  it('falls back to the time of arrival without a time field (timestamp: false)', async () => {
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
  });

  it('labels custom levels with their names from the pino config', async () => {
    await runWorkerApp({
      clientOptions: emulator.clientOptions(),
      transportOptions: { labelKeys: ['level'] },
      variant: 'custom-levels',
      records: 80,
      exitMode: 'end',
    });

    const cycle = ['trace', 'debug', 'info', 'audit', 'notice', 'warn', 'error', 'fatal'];
    const records = emulator.records();
    expectEachOnceInOrderPerLabelSet(records, 80);
    for (const record of records) {
      const { index } = JSON.parse(record.content) as { index: number };
      expect(record.labels).toEqual({ level: cycle[index % cycle.length] });
    }
  });

  it('labels top-level and nested fields named in labelKeys', async () => {
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

  it('fails loudly and names the option when an option is bad', async () => {
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
