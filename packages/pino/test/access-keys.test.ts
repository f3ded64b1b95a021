import { fileURLToPath } from 'node:url';
import {
  describeAccessKeyScenarios,
  expectKeysRotated,
  expectSignedOn,
} from '@logtank/adapter-suite';
import type { Emulator } from '@logtank/emulator';
import { emulatorTest, killChildren, runNode } from '@logtank/test-support';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageOf, numberedMessages } from './helpers/records.ts';
import { runWorkerApp, startWorkerApp } from './helpers/worker-app.ts';
import { pinoDriver } from './pino-driver.ts';

// The shared AK/SK scenarios run pino in this process (ltsTransport()), and
// its app in pino.transport's worker. What follows runs the credentials in
// the worker itself (a child process): accessKey on each API, the ECS/CCE
// agency's temporary keys rotating mid-run, a clock off by more than the
// signature window (reported on the worker's stderr), and an
// accessKeyProvider, which cannot reach the worker.
describeAccessKeyScenarios(pinoDriver);

const providerInWorkerApp = fileURLToPath(
  new URL('./fixtures/provider-in-worker.mjs', import.meta.url),
);

afterEach(() => killChildren());

/** The messages the emulator stored, sorted (batches may overtake each other). */
function storedMessages(emulator: Emulator): string[] {
  return emulator.records().map(messageOf).sort();
}

describe('accessKey (AK/SK signing) in the worker', () => {
  emulatorTest.for([
    ['standard', {}],
    ['high-accuracy', { compression: 'gzip' }],
    ['batch', {}],
  ] as const)(
    'delivers every record once on the %s API %j, each stored as access-key',
    async ([api, extra], { emulator }) => {
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions({ credentials: 'access-key' }),
        transportOptions: { api, ...extra, maxBatchRecords: 50, lingerMs: 20 },
        records: 300,
        exitMode: 'end',
      });

      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(storedMessages(emulator)).toEqual(numberedMessages(300).sort());
      expectSignedOn(emulator, api);
      expect(emulator.requests().length).toBeGreaterThanOrEqual(6);
    },
  );
});

describe('ecsMetadata (the ECS/CCE agency) in the worker', () => {
  emulatorTest.override({ emulatorOptions: { metadata: true } });

  emulatorTest(
    'keys expiring while the app logs: a new temporary key is fetched and every record is delivered exactly once',
    async ({ emulator }) => {
      const app = startWorkerApp({
        clientOptions: emulator.clientOptions({ credentials: 'ecs-metadata' }),
        transportOptions: { maxBatchRecords: 25, lingerMs: 20, retry: { baseDelayMs: 10 } },
        records: 200,
        pauseAfter: 100,
        exitMode: 'end',
      });
      // The first half is delivered with the first key; then every key expires and the app logs on.
      await emulator.waitForRecords(100, { timeoutMs: 8000 });
      await vi.waitFor(() => expect(app.child.output().stdout).toBe('paused\n'), {
        timeout: 5000,
      });
      emulator.metadata!.expireKeys();
      app.child.child.kill('SIGUSR2');
      const { run } = await app.finished;

      expect(run.code, run.stderr).toBe(0);
      // The expired key was refused (a warning on stderr) and replaced, never a drop.
      expect(emulator.requests().some((request) => request.status === 401)).toBe(true);
      expect(run.stderr).not.toContain('dropped');
      expect(emulator.records()).toHaveLength(200);
      expect(storedMessages(emulator)).toEqual(numberedMessages(200).sort());
      expectKeysRotated(emulator);
    },
  );
});

describe('accessKeyProvider in the worker', () => {
  it('pino.transport() throws the DataCloneError of the worker thread, which shows the function by its source and names no option', async () => {
    const run = await runNode([providerInWorkerApp], { timeoutMs: 10_000 });

    // Thrown synchronously by `new Worker` (the structured clone of the options), uncaught:
    // the options never reach @logtank/pino, so neither its option check nor its hint runs.
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'DOMException [DataCloneError]: async () => ({ id: process.env.KEY_ID, secret: process.env.KEY_SECRET }) could not be cloned.\n    at new DOMException',
    );
    // The frame reads `Function.transport` on Node 20 and 22, `pino.transport` on Node 24.
    expect(run.stderr).toMatch(
      /\n {4}at (?:Function|pino)\.transport \(.*pino[/\\]lib[/\\]transport\.js:\d+:\d+\)\n/,
    );
    expect(run.stderr).not.toContain('accessKeyProvider');
    expect(run.stderr).not.toContain('LtsOptionsError');
  });
});

describe('a clock off by more than 15 minutes, in the worker', () => {
  const twentyMinutesNs = 20n * 60n * 1_000_000_000n;
  emulatorTest.override({
    emulatorOptions: { now: () => BigInt(Date.now()) * 1_000_000n + twentyMinutesNs },
  });

  emulatorTest(
    'the warning on stderr says the clock is off and the signature window',
    async ({ emulator }) => {
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
    },
  );
});
