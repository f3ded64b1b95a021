import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { ltsTransport } from '@logtank/pino';
import { killChildren, runNode } from '@logtank/test-support';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageOf, numberedMessages } from './helpers/records.ts';
import { runWorkerApp, startWorkerApp } from './helpers/worker-app.ts';

// AK/SK credentials through pino against the emulator over HTTP: in
// pino.transport's worker (a child process) with accessKey on each API, the
// HUAWEICLOUD_SDK_* variables, the ECS/CCE agency's temporary keys rotating
// mid-run, a wrong secret and a clock off by more than the signature window;
// an accessKeyProvider in-process (a function cannot reach the worker).

const providerInWorkerApp = fileURLToPath(
  new URL('./fixtures/provider-in-worker.mjs', import.meta.url),
);
const emulators: Emulator[] = [];

afterEach(async () => {
  killChildren();
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  emulators.push(emulator);
  return emulator;
}

/** The messages the emulator stored, sorted (batches may overtake each other). */
function storedMessages(emulator: Emulator): string[] {
  return emulator.records().map(messageOf).sort();
}

describe('accessKey (AK/SK signing) in the worker', () => {
  it.each([
    ['standard', {}, 'SDK-HMAC-SHA256'],
    ['high-accuracy', { compression: 'gzip' }, 'SDK-HMAC-SHA256'],
    ['batch', {}, 'V11-HMAC-SHA256'],
  ] as const)(
    'delivers every record once on the %s API %j, each stored as access-key',
    async (api, extra, algorithm) => {
      const emulator = await emulatorWith();
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions({ credentials: 'access-key' }),
        transportOptions: { api, ...extra, maxBatchRecords: 50, lingerMs: 20 },
        records: 300,
        exitMode: 'end',
      });

      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(storedMessages(emulator)).toEqual(numberedMessages(300).sort());
      const records = emulator.records();
      expect(new Set(records.map((record) => record.credential))).toEqual(new Set(['access-key']));
      expect(new Set(records.map((record) => record.api))).toEqual(new Set([api]));
      expect(new Set(emulator.requests().map((request) => request.credential?.algorithm))).toEqual(
        new Set([algorithm]),
      );
      expect(emulator.requests().length).toBeGreaterThanOrEqual(6);
    },
  );
});

describe('the HUAWEICLOUD_SDK_* variables (no credential option) in the worker', () => {
  it('an app configured only by the environment delivers every record, signed', async () => {
    const emulator = await emulatorWith();
    const options = emulator.clientOptions({ credentials: 'access-key' });
    const { run } = await runWorkerApp(
      {
        clientOptions: {},
        transportOptions: { api: 'high-accuracy', compression: 'gzip', lingerMs: 20 },
        records: 200,
        exitMode: 'end',
      },
      {
        env: {
          LTS_ENDPOINT: options.endpoint,
          LTS_LOG_GROUP_ID: options.logGroupId,
          LTS_LOG_STREAM_ID: options.logStreamId,
          HUAWEICLOUD_SDK_AK: emulator.accessKey.id,
          HUAWEICLOUD_SDK_SK: emulator.accessKey.secret,
          HUAWEICLOUD_SDK_PROJECT_ID: options.projectId,
          HUAWEICLOUD_SDK_REGION: emulator.region,
        },
      },
    );

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(storedMessages(emulator)).toEqual(numberedMessages(200).sort());
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['access-key']),
    );
    expect(new Set(emulator.requests().map((request) => request.credential?.id))).toEqual(
      new Set([emulator.accessKey.id]),
    );
  });
});

describe('ecsMetadata (the ECS/CCE agency) in the worker', () => {
  it('keys expiring while the app logs: a new temporary key is fetched and every record is delivered exactly once', async () => {
    const emulator = await emulatorWith({ metadata: true });
    const app = startWorkerApp({
      clientOptions: emulator.clientOptions({ credentials: 'ecs-metadata' }),
      transportOptions: { maxBatchRecords: 25, lingerMs: 20, retry: { baseDelayMs: 10 } },
      records: 200,
      pauseAfter: 100,
      exitMode: 'end',
    });
    // The first half is delivered with the first key; then every key expires and the app logs on.
    await emulator.waitForRecords(100, { timeoutMs: 8000 });
    await vi.waitFor(() => expect(app.child.output().stdout).toBe('paused\n'), { timeout: 5000 });
    emulator.metadata!.expireKeys();
    app.child.child.kill('SIGUSR2');
    const { run } = await app.finished;

    expect(run.code, run.stderr).toBe(0);
    // The expired key was refused (a warning on stderr) and replaced, never a drop.
    expect(emulator.requests().some((request) => request.status === 401)).toBe(true);
    expect(run.stderr).not.toContain('dropped');
    expect(emulator.records()).toHaveLength(200);
    expect(storedMessages(emulator)).toEqual(numberedMessages(200).sort());
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['temporary-key']),
    );
    expect(emulator.metadata!.issuedKeys()).toBeGreaterThan(1);
    const keysUsed = new Set(
      emulator
        .requests()
        .filter((request) => request.status === 200)
        .map((request) => request.credential?.id),
    );
    expect(keysUsed.size).toBeGreaterThan(1);
  });
});

describe('accessKeyProvider', () => {
  it('in-process (ltsTransport()): asked once for many records, all delivered with its key', async () => {
    const emulator = await emulatorWith();
    let calls = 0;
    const stream = await ltsTransport({
      ...emulator.clientOptions({ credentials: 'access-key' }),
      accessKey: undefined,
      accessKeyProvider: async () => {
        calls += 1;
        return { ...emulator.accessKey };
      },
      maxBatchRecords: 40,
      lingerMs: 20,
      onDrop: () => {},
    });
    const logger = pino(stream);
    for (let index = 0; index < 500; index++) logger.info({ index }, `record ${index}`);
    const closed = once(stream, 'close');
    stream.end();
    await closed;

    expect(calls).toBe(1);
    expect(storedMessages(emulator)).toEqual(numberedMessages(500).sort());
    expect(emulator.requests().length).toBeGreaterThanOrEqual(13);
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['access-key']),
    );
  });

  it('in the worker: pino.transport() throws the DataCloneError of the worker thread, which shows the function by its source and names no option', async () => {
    const run = await runNode([providerInWorkerApp], { timeoutMs: 10_000 });

    // Thrown synchronously by `new Worker` (the structured clone of the options), uncaught:
    // the options never reach @logtank/pino, so neither its option check nor its hint runs.
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'DOMException [DataCloneError]: async () => ({ id: process.env.KEY_ID, secret: process.env.KEY_SECRET }) could not be cloned.\n    at new DOMException',
    );
    expect(run.stderr).toMatch(
      /\n {4}at Function\.transport \(.*pino[/\\]lib[/\\]transport\.js:\d+:\d+\)\n/,
    );
    expect(run.stderr).not.toContain('accessKeyProvider');
    expect(run.stderr).not.toContain('LtsOptionsError');
  });
});

describe('a wrong secret in the worker', () => {
  it('is refused (401) with one request per batch, the records reported dropped, and no secret printed even with NODE_DEBUG', async () => {
    const emulator = await emulatorWith();
    const rightSecret = emulator.accessKey.secret;
    const wrongSecret = `${rightSecret.slice(0, -6)}Wrong1`;
    const { run } = await runWorkerApp(
      {
        clientOptions: {
          ...emulator.clientOptions({ credentials: 'access-key' }),
          accessKey: { id: emulator.accessKey.id, secret: wrongSecret },
        },
        transportOptions: { maxBatchRecords: 25, lingerMs: 60_000 },
        records: 100,
        exitMode: 'end',
      },
      { env: { NODE_DEBUG: 'http,net,undici' } },
    );

    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(emulator.records()).toEqual([]);
    // A static key cannot be renewed: 4 batches, 4 requests, no retries.
    expect(emulator.requests().map((request) => request.status)).toEqual([401, 401, 401, 401]);
    expect(emulator.stats().signatureFailures).toBe(4);
    expect(run.stderr).toMatch(/Warning: logtank: dropped 25 record\(s\) \(unauthorized\)/);
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('[logtank unauthorized] ')),
    ).toHaveLength(100);
    const output = run.stdout + run.stderr;
    expect(output).not.toContain(wrongSecret);
    expect(output).not.toContain(rightSecret);
    // The two share all but their last characters: no part of either shows.
    expect(output).not.toContain(rightSecret.slice(0, 16));
    expect(output).not.toContain(rightSecret.slice(12, 28));
  });
});

describe('a clock off by more than 15 minutes, in the worker', () => {
  it('the warning on stderr says the clock is off and the signature window', async () => {
    const twentyMinutesNs = 20n * 60n * 1_000_000_000n;
    const emulator = await emulatorWith({
      now: () => BigInt(Date.now()) * 1_000_000n + twentyMinutesNs,
    });
    const { run } = await runWorkerApp({
      clientOptions: emulator.clientOptions({ credentials: 'access-key' }),
      records: 3,
      exitMode: 'end',
    });

    expect(run.code, run.stderr).toBe(0);
    expect(emulator.records()).toEqual([]);
    const drop = run.stderr
      .split('\n')
      .find((line) => line.includes('Warning: logtank: dropped 3 record(s) (unauthorized)'));
    expect(drop, run.stderr).toBeDefined();
    expect(drop).toMatch(/clock/);
    expect(drop).toMatch(/X-Sdk-Date|15 ?-?minute/);
  });
});
