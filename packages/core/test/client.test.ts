import type { Emulator } from '@logtank/emulator';
import { byTime, closedPort, emulatorTest } from '@logtank/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect } from 'vitest';
import { type LtsClientOptions, LtsDeliveryError } from '../src/index.ts';
import {
  closeObservedClients,
  expectBalanced,
  numbered,
  type Observed,
  observedClient,
} from './observed-client.ts';

afterEach(async () => {
  await closeObservedClients();
});

function clientFor(target: Emulator, options: LtsClientOptions = {}): Observed {
  return observedClient({
    ...target.clientOptions(),
    lingerMs: 20,
    retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 6 },
    ...options,
  });
}

function lines(count: number, prefix = 'line'): string[] {
  return numbered(prefix, count);
}

describe('delivery', () => {
  emulatorTest(
    'delivers every record once, in order, with the static labels, and closes cleanly',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, { labels: { app: 'api', env: 'test' } });
      const sent = lines(1000);
      for (const content of sent) client.send({ content });
      await client.close();
      const records = emulator.records();
      expect(records.map((record) => record.content)).toEqual(sent);
      expect(
        records.every((record) => record.labels.app === 'api' && record.labels.env === 'test'),
      ).toBe(true);
      const times = records.map((record) => record.timeNs);
      expect(times.every((time, index) => index === 0 || time > times[index - 1]!)).toBe(true);
      expect(drops).toEqual([]);
      expect(client.stats()).toMatchObject({
        sent: 1000,
        delivered: 1000,
        dropped: 0,
        buffered: 0,
        bufferedBytes: 0,
      });
    },
  );

  emulatorTest(
    'writes an exact nanosecond time above 2^53 and gives the i-th record base + i',
    async ({ emulator }) => {
      const { client } = clientFor(emulator);
      const base = BigInt(Date.now()) * 1_000_000n + 123_456_789n;
      expect(base > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      client.send({ content: 'first', timeNs: base });
      client.send({ content: 'second', timeNs: base + 300_000_000n });
      // Earlier than the batch's last record: it does not fit the batch's line, so it
      // goes in a request of its own with its own time (it used to be stored at base + 2).
      client.send({ content: 'earlier', timeNs: base - 5_000_000_000n });
      await client.flush();
      expect(emulator.records().map((record) => [record.content, record.timeNs])).toEqual([
        ['first', base],
        ['second', base + 1n],
        ['earlier', base - 5_000_000_000n],
      ]);
    },
  );

  emulatorTest(
    'replaces a record time LTS would refuse (more than 2 days off) by now, and counts it',
    async ({ emulator }) => {
      const day = 24 * 60 * 60 * 1000;
      for (const api of ['standard', 'high-accuracy'] as const) {
        emulator.clear();
        const { client, drops } = clientFor(emulator, { api });
        const before = BigInt(Date.now()) * 1_000_000n;
        client.send({ content: 'seconds taken for ms', timeMs: Date.now() / 1000 });
        client.send({ content: 'next week', timeMs: Date.now() + 7 * day });
        client.send({ content: 'yesterday', timeMs: Date.now() - day });
        await client.flush();
        const records = emulator.records();
        expect(records.map((record) => record.content)).toEqual([
          'seconds taken for ms',
          'next week',
          'yesterday',
        ]);
        expect(records[0]?.timeNs).toBeGreaterThanOrEqual(before);
        expect(drops).toEqual([]);
        expect(client.stats().timesReplaced).toBe(2);
      }
    },
  );

  emulatorTest(
    'keeps order across batches of one label set even when record times repeat',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, { maxBatchRecords: 10 });
      const sameMillisecond = Date.now();
      for (const content of lines(35)) client.send({ content, timeMs: sameMillisecond });
      await client.flush();
      const records = [...emulator.records()].sort((left, right) =>
        left.timeNs < right.timeNs ? -1 : 1,
      );
      expect(records.map((record) => record.content)).toEqual(lines(35));
      expect(new Set(records.map((record) => record.timeNs)).size).toBe(35);
    },
  );

  emulatorTest(
    'never mixes label sets in one request and merges record labels over static ones',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, { labels: { app: 'api' } });
      for (let index = 0; index < 30; index++) {
        client.send({
          content: `r${index}`,
          labels: { level: index % 3 === 0 ? 'error' : 'info' },
        });
      }
      client.send({ content: 'plain' });
      await client.flush();
      const requests = emulator.requests().filter((request) => request.status === 200);
      expect(requests).toHaveLength(3);
      for (const request of requests) {
        const labelSets = new Set(
          emulator
            .records()
            .filter((record) => record.requestId === request.id)
            .map((record) => JSON.stringify(record.labels)),
        );
        expect(labelSets.size).toBe(1);
      }
      const errors = emulator.records().filter((record) => record.labels.level === 'error');
      expect(errors).toHaveLength(10);
      expect(errors[0]!.labels).toEqual({ app: 'api', level: 'error' });
      expect(emulator.records().find((record) => record.content === 'plain')!.labels).toEqual({
        app: 'api',
      });
    },
  );

  emulatorTest(
    'turns label values that are not strings into strings and bounds the number of label sets',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, { maxLabelSets: 3 });
      client.send({ content: 'n', labels: { count: 5 as unknown as string } });
      for (let index = 0; index < 5; index++)
        client.send({ content: `id ${index}`, labels: { id: String(index) } });
      await client.flush();
      expect(emulator.records().find((record) => record.content === 'n')!.labels).toEqual({
        count: '5',
      });
      expect(emulator.records()).toHaveLength(6);
      expect(client.stats().labelSetOverflows).toBeGreaterThan(0);
    },
  );

  emulatorTest(
    'seals a batch at maxBatchRecords, at maxBatchBytes (exact body bytes) and after lingerMs',
    async ({ emulator }) => {
      const byCount = clientFor(emulator, { maxBatchRecords: 7, lingerMs: 60_000 });
      for (const content of lines(21)) byCount.client.send({ content });
      await emulator.waitForRecords(21, { timeoutMs: 5000 });
      expect(emulator.requests().map((request) => request.records)).toEqual([7, 7, 7]);
      emulator.clear();

      const maxBatchBytes = 4096;
      const bySize = clientFor(emulator, { maxBatchBytes, lingerMs: 50 });
      for (const content of lines(200, 'x'.repeat(100))) bySize.client.send({ content });
      await bySize.client.flush();
      expect(emulator.records()).toHaveLength(200);
      for (const request of emulator.requests())
        expect(request.bytes).toBeLessThanOrEqual(maxBatchBytes);
      // Batches are filled close to the limit, not just kept under it.
      expect(Math.max(...emulator.requests().map((request) => request.bytes))).toBeGreaterThan(
        maxBatchBytes * 0.8,
      );
      emulator.clear();

      const byTime = clientFor(emulator, { lingerMs: 300 });
      const started = performance.now();
      byTime.client.send({ content: 'lonely' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(emulator.records()).toHaveLength(0);
      await emulator.waitForRecords(1, { timeoutMs: 5000 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    },
  );

  emulatorTest(
    'posts to the high-accuracy endpoint with a time per record, gzip-compressed',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, { api: 'high-accuracy', compression: 'gzip' });
      const base = BigInt(Date.now()) * 1_000_000n;
      client.send({ content: 'a', timeNs: base + 5n });
      client.send({ content: 'b', timeNs: base + 100n });
      client.send({ content: 'c', timeNs: base + 50n });
      await client.flush();
      expect(
        emulator.records().map((record) => [record.content, record.timeNs, record.api]),
      ).toEqual([
        ['a', base + 5n, 'high-accuracy'],
        ['b', base + 100n, 'high-accuracy'],
        // Earlier than its predecessor: moved just after it, so order survives.
        ['c', base + 101n, 'high-accuracy'],
      ]);
      expect(emulator.requests()[0]!.compressed).toBe(true);
    },
  );

  emulatorTest(
    'round-trips any string exactly (lone surrogates, control characters, NUL)',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, { lingerMs: 5 });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.string({ unit: 'binary', minLength: 1 }), { minLength: 1, maxLength: 20 }),
          async (contents) => {
            emulator.clear();
            for (const content of contents) client.send({ content });
            await client.flush();
            expect(emulator.records().map((record) => record.content)).toEqual(contents);
          },
        ),
        { numRuns: 60 },
      );
      expect(drops).toEqual([]);
    },
  );

  emulatorTest.for(['high-accuracy', 'batch'] as const)(
    'round-trips contents ending in a quote and a comma on the %s API (they once broke the body)',
    async (api, { emulator }) => {
      const { client, drops } = observedClient({
        ...emulator.clientOptions({ credentials: api === 'batch' ? 'access-key' : 'token' }),
        lingerMs: 5,
        api,
      });
      const contents = ['{"user": "ana",', 'say "hi",', '\\",', ',', '"', 'last'];
      for (const content of contents) client.send({ content });
      await client.flush();
      expect(drops).toEqual([]);
      expect(byTime(emulator.records()).map((record) => record.content)).toEqual(contents);
    },
  );

  emulatorTest(
    'truncates a record larger than a batch, with a marker, and counts it',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator);
      const huge = 'y'.repeat(10 * 1024 * 1024);
      client.send({ content: huge });
      client.send({ content: 'after' });
      await client.flush();
      const [first, second] = [...emulator.records()].sort((left, right) =>
        left.timeNs < right.timeNs ? -1 : 1,
      );
      expect(first!.content.length).toBeGreaterThan(500_000);
      expect(huge.startsWith(first!.content.slice(0, first!.content.indexOf('…[truncated')))).toBe(
        true,
      );
      expect(first!.content).toMatch(/…\[truncated by logtank: 10485760 bytes\]$/);
      expect(second!.content).toBe('after');
      expect(client.stats().truncated).toBe(1);
      expect(drops).toEqual([]);
      for (const request of emulator.requests())
        expect(request.bytes).toBeLessThanOrEqual(512 * 1024);
    },
  );

  emulatorTest('never throws from send(), and reports what it cannot queue', ({ emulator }) => {
    const { client, drops } = clientFor(emulator);
    expect(() => client.send({ content: '' })).not.toThrow();
    expect(() => client.send(null as never)).not.toThrow();
    expect(() => client.send({ content: { a: 1n } as never })).not.toThrow();
    expect(drops.map((drop) => drop.reason)).toEqual(['empty', 'invalid']);
    expectBalanced(client);
  });
});

describe('the retry table', () => {
  emulatorTest.for([429, 500, 502, 503, 504])(
    'retries %i with backoff and delivers',
    async (status, { emulator }) => {
      const { client, errors, drops } = clientFor(emulator);
      emulator.faults.enqueue({ status }, { status });
      for (const content of lines(5)) client.send({ content });
      await client.flush();
      expect(emulator.records().map((record) => record.content)).toEqual(lines(5));
      expect(drops).toEqual([]);
      expect(client.stats()).toMatchObject({ delivered: 5, retries: 2, requests: 3 });
      expect(errors).toHaveLength(2);
      expect(errors[0]).toBeInstanceOf(LtsDeliveryError);
      expect((errors[0] as LtsDeliveryError).status).toBe(status);
      expect(errors[0]!.message).toContain('will retry');
    },
  );

  emulatorTest(
    'retries timeouts, dropped connections and refused connections',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, { timeoutMs: 300 });
      emulator.faults.enqueue({ hang: true }, { drop: 'before-body' });
      for (const content of lines(3)) client.send({ content });
      await client.flush();
      expect(emulator.records().map((record) => record.content)).toEqual(lines(3));
      expect(drops).toEqual([]);
      expect(client.stats().retries).toBe(2);
    },
  );

  emulatorTest(
    'drops a 400 batch at once with the server’s reason, and delivers the others',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, { maxBatchRecords: 2 });
      emulator.faults.enqueue({ status: 400 });
      for (const content of lines(6)) client.send({ content });
      await client.flush();
      expect(drops).toHaveLength(1);
      expect(drops[0]).toMatchObject({
        reason: 'rejected',
        count: 2,
        contents: ['line 0', 'line 1'],
      });
      expect(drops[0]!.message).toMatch(/HTTP 400 SVCSTG\.ALS\.\S+: /);
      expect(emulator.records().map((record) => record.content)).toEqual([
        'line 2',
        'line 3',
        'line 4',
        'line 5',
      ]);
      expect(client.stats()).toMatchObject({ delivered: 4, dropped: 2, retries: 0 });
      expect(client.stats().droppedByReason.rejected).toBe(2);
    },
  );

  emulatorTest(
    'drops on 401 with a static token, once per batch and without retrying',
    async ({ emulatorWith }) => {
      const guarded = await emulatorWith({ tokens: ['the-right-token'] });
      const { client, drops } = clientFor(guarded, { token: 'a-wrong-token' });
      for (const content of lines(3)) client.send({ content });
      await client.flush();
      expect(guarded.requests()).toHaveLength(1);
      expect(guarded.requests()[0]!.status).toBe(401);
      expect(drops).toMatchObject([{ reason: 'unauthorized', count: 3 }]);
      expect(JSON.stringify(drops)).not.toContain('a-wrong-token');
    },
  );

  emulatorTest(
    'asks the token provider again after a 401, once, and delivers',
    async ({ emulatorWith }) => {
      const guarded = await emulatorWith({ tokens: ['fresh-token'] });
      const handed: string[] = [];
      const tokens = ['stale-token', 'fresh-token'];
      const { client, drops } = clientFor(guarded, {
        token: undefined,
        tokenProvider: async () => {
          const token = tokens[Math.min(handed.length, tokens.length - 1)]!;
          handed.push(token);
          return token;
        },
      });
      for (const content of lines(4)) client.send({ content });
      await client.flush();
      expect(guarded.records()).toHaveLength(4);
      expect(handed).toEqual(['stale-token', 'fresh-token']);
      expect(drops).toEqual([]);
      expect(client.stats().tokenRenewals).toBe(1);
      client.send({ content: 'later' });
      await client.flush();
      expect(handed).toHaveLength(2);
    },
  );

  emulatorTest(
    'splits a batch answered 413 in halves until it fits, keeping every record and its time',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, { maxBatchRecords: 8 });
      emulator.faults.enqueue({ status: 413 }, { status: 413 });
      for (const content of lines(8)) client.send({ content });
      await client.flush();
      const records = [...emulator.records()].sort((left, right) =>
        left.timeNs < right.timeNs ? -1 : 1,
      );
      expect(records.map((record) => record.content)).toEqual(lines(8));
      const base = records[0]!.timeNs;
      expect(records.map((record) => record.timeNs - base)).toEqual([
        0n,
        1n,
        2n,
        3n,
        4n,
        5n,
        6n,
        7n,
      ]);
      expect(drops).toEqual([]);
      expect(client.stats().splits).toBe(2);
      expectBalanced(client);
    },
  );

  emulatorTest('drops a single record that is too large even alone', async ({ emulator }) => {
    const { client, drops } = clientFor(emulator);
    emulator.faults.enqueue({ status: 413 });
    client.send({ content: 'alone' });
    await client.flush();
    expect(drops).toMatchObject([{ reason: 'too-large', count: 1, contents: ['alone'] }]);
  });

  emulatorTest(
    'gives up after retry.maxAttempts with the last reason, without a request storm',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, {
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
        maxConcurrency: 2,
      });
      for (const content of lines(10)) client.send({ content });
      await client.flush();
      expect(drops).toMatchObject([{ reason: 'retries-exhausted', count: 10 }]);
      expect(drops[0]!.message).toMatch(/after 3 attempts; last: ECONNREFUSED/);
      expect(client.stats().requests).toBe(3);
    },
  );
});

describe('memory bound and shutdown', () => {
  emulatorTest(
    'keeps everything not yet delivered within maxBufferBytes during an outage (drop-newest)',
    async ({ emulator }) => {
      const maxBufferBytes = 64 * 1024;
      const { client, drops } = clientFor(emulator, {
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        maxBufferBytes,
        maxBatchBytes: 8 * 1024,
        lingerMs: 1,
        retry: { maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 200 },
      });
      let peak = 0;
      for (let index = 0; index < 5000; index++) {
        client.send({ content: `${index} ${'z'.repeat(90)}` });
        peak = Math.max(peak, client.stats().bufferedBytes);
      }
      expect(peak).toBeLessThanOrEqual(maxBufferBytes);
      const stats = client.stats();
      expect(stats.droppedByReason['buffer-full']).toBeGreaterThan(4000);
      expect(
        drops
          .filter((drop) => drop.reason === 'buffer-full')
          .reduce((sum, drop) => sum + drop.count, 0),
      ).toBe(stats.droppedByReason['buffer-full']);
      // drop-newest keeps the oldest records.
      expect(drops[0]!.contents[0]).toMatch(/^\d{3,4} z/);
      expectBalanced(client);
    },
  );

  emulatorTest(
    'drop-oldest keeps the newest records and counts every dropped one',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, {
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        maxBufferBytes: 32 * 1024,
        maxBatchBytes: 4 * 1024,
        // A quarter of the buffer on the wire at most: the rest can be dropped.
        maxConcurrency: 2,
        overflow: 'drop-oldest',
        retry: { maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 200 },
      });
      for (let index = 0; index < 3000; index++)
        client.send({ content: `${index} ${'z'.repeat(90)}` });
      expect(client.stats().bufferedBytes).toBeLessThanOrEqual(32 * 1024);
      const dropped = drops.reduce((sum, drop) => sum + drop.count, 0);
      expect(dropped).toBe(client.stats().droppedByReason['buffer-full']);
      // The oldest records not on the wire went; the newest stayed.
      const droppedIndices = drops.flatMap((drop) =>
        drop.contents.map((content) => Number.parseInt(content, 10)),
      );
      expect(droppedIndices).not.toContain(2999);
      expect(Math.max(...droppedIndices)).toBeLessThan(2999 - 100);
      expectBalanced(client);
      expect(client.stats().buffered).toBeGreaterThan(0);
    },
  );

  emulatorTest(
    'close() with the endpoint down resolves within closeTimeoutMs and reports what it dropped',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, {
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        closeTimeoutMs: 400,
        retry: { maxAttempts: 100, baseDelayMs: 50, maxDelayMs: 100 },
      });
      for (const content of lines(50)) client.send({ content });
      const started = performance.now();
      await client.close();
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(380);
      expect(elapsed).toBeLessThan(3000);
      expect(client.stats()).toMatchObject({ sent: 50, delivered: 0, dropped: 50, buffered: 0 });
      expect(drops.every((drop) => drop.reason === 'close-timeout')).toBe(true);
      client.send({ content: 'too late' });
      expect(client.stats().droppedByReason.closed).toBe(1);
      await client.close();
      expectBalanced(client);
    },
  );

  emulatorTest(
    'close() aborts a request that hangs when the deadline comes',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, { closeTimeoutMs: 300, timeoutMs: 60_000 });
      emulator.faults.hang({});
      client.send({ content: 'stuck' });
      const started = performance.now();
      await client.close();
      expect(performance.now() - started).toBeLessThan(3000);
      expect(drops).toMatchObject([{ reason: 'close-timeout', count: 1 }]);
    },
  );

  emulatorTest('respects the request rate limit by waiting, not dropping', async ({ emulator }) => {
    const { client, drops } = clientFor(emulator, {
      maxBatchRecords: 1,
      rateLimit: { requestsPerSecond: 10 },
    });
    const started = performance.now();
    for (const content of lines(25)) client.send({ content });
    await client.flush();
    // A burst of 10, then 10 per second: 15 more need at least 1.4 s.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1400);
    expect(emulator.records()).toHaveLength(25);
    expect(drops).toEqual([]);
  });
});

describe('backpressure()', () => {
  const bounded = { maxBufferBytes: 64 * 1024, maxBatchBytes: 8 * 1024, lingerMs: 1 };
  const record = (index: number) => ({ content: `${index} ${'z'.repeat(90)}` });

  emulatorTest(
    'lets a producer that waits on it deliver a burst far larger than the buffer, where one that does not loses records',
    async ({ emulator }) => {
      // LTS answers slowly: 8 requests of 8 KiB per 30 ms drain far slower than a loop sends.
      emulator.faults.latency(30);
      const hasty = clientFor(emulator, bounded);
      for (let index = 0; index < 3000; index++) hasty.client.send(record(index));
      await hasty.client.flush();
      expect(hasty.client.stats().droppedByReason['buffer-full']).toBeGreaterThan(0);
      expect(hasty.client.stats().pausedMs).toBe(0);

      emulator.clear();
      const patient = clientFor(emulator, bounded);
      let peak = 0;
      for (let index = 0; index < 3000; index++) {
        patient.client.send(record(index));
        peak = Math.max(peak, patient.client.stats().bufferedBytes);
        await patient.client.backpressure();
      }
      await patient.client.flush();
      expect(patient.drops).toEqual([]);
      // Every record once (concurrent requests may land in any order).
      expect(
        emulator
          .records()
          .map((stored) => stored.content)
          .sort(),
      ).toEqual(Array.from({ length: 3000 }, (_, index) => record(index).content).sort());
      // Past half by one record at most (and the envelope of a batch it opens).
      expect(peak).toBeLessThanOrEqual(bounded.maxBufferBytes / 2 + 1024);
      expect(patient.client.stats().pausedMs).toBeGreaterThan(0);
      expectBalanced(patient.client);
    },
  );

  emulatorTest(
    'sends the open batch when a pause starts, so a buffer of one batch does not wait for lingerMs',
    async ({ emulator }) => {
      const { client, drops } = clientFor(emulator, {
        maxBufferBytes: 16 * 1024,
        maxBatchBytes: 16 * 1024,
        lingerMs: 1000,
      });
      for (let index = 0; index < 1000; index++) {
        client.send(record(index));
        await client.backpressure();
      }
      await client.flush();
      expect(drops).toEqual([]);
      expect(emulator.records()).toHaveLength(1000);
      // Each pause lasts one request, not lingerMs (before: the 2 s budget, then 748 dropped).
      expect(client.stats().pausedMs).toBeLessThan(1000);
      expectBalanced(client);
    },
  );

  emulatorTest(
    'does not pause while LTS is failing: the overflow policy applies and the producer goes on',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, {
        ...bounded,
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        retry: { maxAttempts: 1000, baseDelayMs: 200, maxDelayMs: 400 },
      });
      const started = performance.now();
      for (let index = 0; index < 3000; index++) {
        client.send(record(index));
        await client.backpressure();
      }
      // Refused connections fail at once, so any pause ends with the first failure.
      expect(performance.now() - started).toBeLessThan(1500);
      expect(client.stats().droppedByReason['buffer-full']).toBeGreaterThan(2000);
      expect(client.stats().bufferedBytes).toBeLessThanOrEqual(bounded.maxBufferBytes);
      expectBalanced(client);
    },
  );

  emulatorTest(
    'pauses a sustained overload for at most 2 s, then drops by the overflow policy',
    async ({ emulator }) => {
      // A server that never answers: nothing is delivered, nothing fails before timeoutMs.
      emulator.faults.hang({});
      const { client } = clientFor(emulator, {
        ...bounded,
        timeoutMs: 60_000,
        closeTimeoutMs: 200,
      });
      const started = performance.now();
      for (let index = 0; index < 3000; index++) {
        client.send(record(index));
        await client.backpressure();
      }
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(1900);
      expect(elapsed).toBeLessThan(6000);
      expect(client.stats().pausedMs).toBeGreaterThanOrEqual(1900);
      expect(client.stats().droppedByReason['buffer-full']).toBeGreaterThan(2000);
      await client.close();
      expectBalanced(client);
    },
  );
});

describe('TLS', () => {
  emulatorTest(
    'refuses a self-signed certificate by default, with a clear reason, and accepts it with tls.ca',
    async ({ emulatorWith }) => {
      const secure = await emulatorWith({ tls: true });
      const refused = clientFor(secure, { ...secure.clientOptions(), tls: undefined });
      refused.client.send({ content: 'over tls' });
      await refused.client.flush();
      expect(refused.drops).toMatchObject([{ reason: 'tls', count: 1 }]);
      expect(refused.drops[0]!.message).toMatch(/TLS verification failed .*tls\.ca/);
      expect(secure.records()).toHaveLength(0);

      const trusted = clientFor(secure, { ...secure.clientOptions(), tls: { ca: secure.ca! } });
      trusted.client.send({ content: 'over tls' });
      await trusted.client.flush();
      expect(secure.records().map((record) => record.content)).toEqual(['over tls']);
    },
  );
});
