import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@logtank/emulator';
import { byTime, closedPort, emulatorTest } from '@logtank/test-support';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { type LtsClientOptions, LtsSpoolError } from '../src/index.ts';
import { decodeSegment, encodeEntry } from '../src/spool-format.ts';
import {
  closeObservedClients,
  expectBalanced,
  numbered,
  type Observed,
  observedClient,
} from './observed-client.ts';
import { runApp, startApp } from './support.ts';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'logtank-spool-'));
});

afterEach(async () => {
  await closeObservedClients();
  rmSync(directory, { recursive: true, force: true });
});

function spoolingClient(emulator: Emulator, options: LtsClientOptions = {}): Observed {
  return observedClient({
    ...emulator.clientOptions(),
    lingerMs: 10,
    retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
    spool: { dir: directory },
    ...options,
  });
}

const contents = numbered;

/** Every record stored by the emulator, each content counted. */
function deliveredCounts(emulator: Emulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of emulator.records())
    counts.set(record.content, (counts.get(record.content) ?? 0) + 1);
  return counts;
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function spooledContents(): string[] {
  return readdirSync(directory).flatMap((name) =>
    decodeSegment(readFileSync(join(directory, name))).batches.flatMap((batch) => batch.contents),
  );
}

describe('disk spool', () => {
  emulatorTest(
    'keeps an outage longer than the memory buffer on disk and delivers it all once LTS is back',
    async ({ emulator }) => {
      emulator.faults.failureRate({ status: 503, probability: 1 });
      const { client, drops } = spoolingClient(emulator, {
        maxBufferBytes: 64 * 1024,
        maxBatchBytes: 8 * 1024,
        retry: { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 1000 },
      });
      const sent = contents('outage', 5000);
      for (const content of sent) client.send({ content: `${content} ${'x'.repeat(60)}` });
      expect(client.stats().spooled).toBeGreaterThan(3000);
      expect(client.stats().bufferedBytes).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);
      expect(drops).toEqual([]);
      emulator.faults.clear();
      await until(() => client.stats().delivered === 5000);
      const counts = deliveredCounts(emulator);
      expect(counts.size).toBe(5000);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      expect(client.stats().recovered).toBe(client.stats().spooled);
      expectBalanced(client);
      await until(() => readdirSync(directory).length === 0);
    },
  );

  emulatorTest(
    'spools what close() could not deliver, and the next client delivers it at start',
    async ({ emulator }) => {
      const downEndpoint = `http://127.0.0.1:${await closedPort()}`;
      const first = spoolingClient(emulator, {
        endpoint: downEndpoint,
        closeTimeoutMs: 200,
        retry: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 100 },
      });
      for (const content of contents('closing', 300)) first.client.send({ content });
      await first.client.close();
      expect(first.client.stats()).toMatchObject({
        sent: 300,
        spooled: 300,
        dropped: 0,
        delivered: 0,
      });
      expect(first.drops).toEqual([]);
      expect(spooledContents().sort()).toEqual(contents('closing', 300).sort());

      const second = spoolingClient(emulator);
      await emulator.waitForRecords(300, { timeoutMs: 10_000 });
      expect(byTime(emulator.records()).map((record) => record.content)).toEqual(
        contents('closing', 300),
      );
      await until(() => readdirSync(directory).length === 0);
      expect(second.client.stats()).toMatchObject({ recovered: 300, delivered: 300 });
    },
  );

  emulatorTest(
    'saves what is in memory on process.exit() and delivers it on the next start',
    async ({ emulator }) => {
      const exited = await runApp('spool-app.mjs', {
        MODE: 'log-then-exit',
        RECORDS: '1000',
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions(),
          spool: { dir: directory },
          lingerMs: 60_000,
        }),
      });
      expect(exited.code).toBe(0);
      expect(exited.stderr).toBe('');
      expect(emulator.records()).toHaveLength(0);
      expect(spooledContents()).toHaveLength(1000);

      const replayed = await runApp('spool-app.mjs', {
        MODE: 'replay',
        EXPECT: '1000',
        CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), spool: { dir: directory } }),
      });
      expect(replayed.code).toBe(0);
      expect(JSON.parse(replayed.stdout)).toMatchObject({
        recovered: 1000,
        delivered: 1000,
        dropped: 0,
      });
      expect(emulator.records().map((record) => record.content)).toEqual(
        contents('spool-app', 1000),
      );
      expect(readdirSync(directory)).toEqual([]);
    },
  );

  emulatorTest(
    'a client closed right after start neither loses nor duplicates what waits on disk',
    async ({ emulator }) => {
      await runApp('spool-app.mjs', {
        MODE: 'log-then-exit',
        RECORDS: '1000',
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions(),
          spool: { dir: directory },
          lingerMs: 60_000,
        }),
      });
      expect(spooledContents()).toHaveLength(1000);

      // Closed at once: a replay already under way is finished, one not begun stays on disk.
      const first = spoolingClient(emulator);
      for (const content of contents('new', 10)) first.client.send({ content });
      await first.client.close();
      expectBalanced(first.client);

      const second = spoolingClient(emulator);
      await until(
        () => readdirSync(directory).length === 0 && second.client.stats().buffered === 0,
      );
      const counts = deliveredCounts(emulator);
      for (const content of [...contents('spool-app', 1000), ...contents('new', 10)]) {
        expect(counts.get(content), content).toBe(1);
      }
      expect(emulator.records()).toHaveLength(1010);
    },
  );

  emulatorTest(
    'after kill -9, delivers exactly once everything that reached the spool',
    async ({ emulator }) => {
      const downEndpoint = `http://127.0.0.1:${await closedPort()}`;
      const app = startApp('spool-app.mjs', {
        MODE: 'log-forever',
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions(),
          endpoint: downEndpoint,
          spool: { dir: directory },
          maxBufferBytes: 32 * 1024,
          maxBatchBytes: 4 * 1024,
          lingerMs: 5,
          retry: { baseDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 },
        }),
      });
      await until(() => spooledContents().length > 2000, 15_000);
      app.child.kill('SIGKILL');
      const killed = await app.exited;
      expect(killed.signal).toBe('SIGKILL');
      const onDisk = spooledContents();
      expect(onDisk.length).toBeGreaterThan(2000);
      expect(new Set(onDisk).size).toBe(onDisk.length);

      const replayed = await runApp('spool-app.mjs', {
        MODE: 'replay',
        EXPECT: String(onDisk.length),
        CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), spool: { dir: directory } }),
      });
      expect(replayed.code).toBe(0);
      const counts = deliveredCounts(emulator);
      expect([...counts.keys()].sort()).toEqual([...onDisk].sort());
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      expect(readdirSync(directory)).toEqual([]);
    },
  );

  emulatorTest(
    'replays the intact entries of a corrupted segment and reports the damage',
    async ({ emulator }) => {
      const base = BigInt(Date.now()) * 1_000_000n;
      const entries = [0, 1, 2].map((index) =>
        encodeEntry({
          api: 'standard',
          labelsJson: '{}',
          baseTimeNs: String(base + BigInt(index * 10)),
          contents: [`entry ${index} a`, `entry ${index} b`],
        }),
      );
      const corrupted = Buffer.concat(entries);
      // Flip a byte inside the second entry's payload, and tear the tail of the third.
      const flipAt = entries[0]!.length + 20;
      corrupted.writeUInt8(corrupted.readUInt8(flipAt) ^ 0xff, flipAt);
      const torn = corrupted.subarray(0, corrupted.length - 5);
      writeFileSync(join(directory, '000000000000001-000000-999999.seg'), torn);

      const { client, errors, drops } = spoolingClient(emulator);
      await emulator.waitForRecords(2, { timeoutMs: 5000 });
      await until(() => readdirSync(directory).length === 0);
      expect(emulator.records().map((record) => record.content)).toEqual([
        'entry 0 a',
        'entry 0 b',
      ]);
      expect(errors.map((error) => error.message).join('\n')).toMatch(
        /damaged bytes .* 1 intact batches are replayed/,
      );
      const damaged = errors.find((error) => error.message.includes('damaged bytes'));
      expect(damaged).toBeInstanceOf(LtsSpoolError);
      expect(damaged).toMatchObject({
        code: 'LTS_SPOOL',
        path: expect.stringContaining('000000000000001-'),
      });
      expect(drops).toEqual([]);
      expect(client.stats().recovered).toBe(2);
    },
  );

  emulatorTest(
    'lets two processes share one directory without corrupting each other',
    async ({ emulator }) => {
      const downEndpoint = `http://127.0.0.1:${await closedPort()}`;
      const environment = (prefix: string) => ({
        MODE: 'log-then-exit',
        RECORDS: '3000',
        PREFIX: prefix,
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions(),
          endpoint: downEndpoint,
          spool: { dir: directory },
          maxBatchBytes: 2048,
          lingerMs: 60_000,
        }),
      });
      const [left, right] = await Promise.all([
        runApp('spool-app.mjs', environment('left')),
        runApp('spool-app.mjs', environment('right')),
      ]);
      expect([left.code, right.code]).toEqual([0, 0]);
      const onDisk = spooledContents();
      expect(onDisk).toHaveLength(6000);

      const replayed = await runApp('spool-app.mjs', {
        MODE: 'replay',
        EXPECT: '6000',
        CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), spool: { dir: directory } }),
      });
      expect(replayed.code).toBe(0);
      const counts = deliveredCounts(emulator);
      expect(counts.size).toBe(6000);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
    },
  );

  emulatorTest(
    'bounds the spool by maxBytes, dropping (and counting) the oldest segments',
    async ({ emulator }) => {
      emulator.faults.failureRate({ status: 503, probability: 1 });
      const { client, drops } = spoolingClient(emulator, {
        spool: { dir: directory, maxBytes: 1024 * 1024 },
        maxBufferBytes: 64 * 1024,
        maxBatchBytes: 16 * 1024,
        retry: { baseDelayMs: 20, maxDelayMs: 50, maxAttempts: 1000 },
      });
      for (const content of contents('flood', 30_000))
        client.send({ content: `${content} ${'y'.repeat(80)}` });
      const stats = client.stats();
      expect(stats.droppedByReason['spool-full']).toBeGreaterThan(0);
      const droppedByEvents = drops
        .filter((drop) => drop.reason === 'spool-full')
        .reduce((sum, drop) => sum + drop.count, 0);
      expect(droppedByEvents).toBe(stats.droppedByReason['spool-full']);
      const onDiskBytes = readdirSync(directory).reduce(
        (sum, name) => sum + readFileSync(join(directory, name)).length,
        0,
      );
      expect(onDiskBytes).toBeLessThanOrEqual(1024 * 1024);
      // The oldest segments went: everything dropped is older than everything still on disk.
      const index = (content: string) => Number(content.split(' ')[1]);
      const dropped = drops.flatMap((drop) => drop.contents.map(index));
      const kept = spooledContents().map(index);
      expect(Math.max(...dropped)).toBeLessThan(Math.min(...kept));
      expectBalanced(client);
    },
  );
});

describe('Retry-After and the fallback', () => {
  emulatorTest(
    'waits as long as Retry-After says (within retry.maxDelayMs)',
    async ({ emulator }) => {
      emulator.faults.enqueue({ status: 503, retryAfter: '1' });
      const { client } = observedClient({
        ...emulator.clientOptions(),
        lingerMs: 1,
        retry: { baseDelayMs: 1, maxDelayMs: 5000 },
        fallback: 'none',
      });
      const started = performance.now();
      client.send({ content: 'patient' });
      await client.flush();
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(emulator.records().map((record) => record.content)).toEqual(['patient']);
    },
  );

  emulatorTest(
    'writes dropped records to stderr by default, and to a fallback function when given one',
    async ({ emulator }) => {
      const app = await runApp('exit-app.mjs', {
        EXIT_MODE: 'close',
        RECORDS: '2',
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions(),
          endpoint: `http://127.0.0.1:${await closedPort()}`,
          closeTimeoutMs: 100,
          // More attempts than 100 ms allows, so the close deadline, not maxAttempts, ends them.
          retry: { maxAttempts: 100 },
        }),
        NO_ON_DROP: '1',
      });
      expect(app.stderr).toContain(
        '[logtank close-timeout] exit-app 0\n[logtank close-timeout] exit-app 1\n',
      );

      const received: Array<[string[], string]> = [];
      emulator.faults.enqueue({ status: 400 });
      // A fallback function is used also when onDrop is given.
      const { client } = observedClient({
        ...emulator.clientOptions(),
        lingerMs: 1,
        fallback: (records, reason) => received.push([records, reason]),
      });
      client.send({ content: 'refused line' });
      await client.flush();
      expect(received).toEqual([[['refused line'], 'rejected']]);
    },
  );
});
