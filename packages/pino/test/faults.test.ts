import { type AddressInfo, createServer, type Server } from 'node:net';
import { describeFaultScenarios } from '@logtank/adapter-suite';
import { byTime, emulatorTest, killChildren } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { messageOf, numberedMessages } from './helpers/records.ts';
import { runWorkerApp } from './helpers/worker-app.ts';
import { pinoDriver } from './pino-driver.ts';

// The shared fault scenarios run pino in this process (ltsTransport()).
describeFaultScenarios(pinoDriver);

// Worker mode when LTS misbehaves: the app must never block, crash or hang.

const servers: Server[] = [];

// Checking tokens: only emulator.token is accepted, so a wrong one is refused (401).
emulatorTest.override({ emulatorOptions: { tokens: [] } });

afterEach(async () => {
  killChildren();
  for (const server of servers.splice(0)) server.close();
});

/**
 * A loopback address that resets every connection: LTS down. (A port that was
 * merely closed could be taken by a parallel test's server in the meantime.)
 */
async function refusingEndpoint(): Promise<string> {
  const server = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The dropped records the worker wrote out on stderr (core's fallback writes each one). */
function droppedOnStderr(stderr: string): number {
  return stderr.split('\n').filter((line) => line.startsWith('[logtank ')).length;
}

describe('LTS unreachable', () => {
  emulatorTest.for([
    ['process.exit()', 'exit'],
    ['the natural end', 'natural'],
  ] as const)(
    'keeps logging without blocking and exits promptly after %s',
    async ([, exitMode], { emulator }) => {
      const closeTimeoutMs = 2000;
      const { run, result } = await runWorkerApp({
        clientOptions: emulator.clientOptions({ endpoint: await refusingEndpoint() }),
        // More attempts than the deadline allows: the deadline ends the retries.
        transportOptions: { closeTimeoutMs, lingerMs: 20, retry: { maxAttempts: 100 } },
        records: 20_000,
        exitMode,
      });

      expect(run.code, run.stderr).toBe(0);
      // closeTimeoutMs, plus process and worker start-up on a busy machine.
      expect(run.elapsedMs).toBeLessThan(closeTimeoutMs + 6000);
      // Logging never waits on the network: 20,000 lines take well under a second when nothing blocks.
      expect(result?.loopMs).toBeLessThan(3000);
      // Lost records are reported on stderr from the worker, even though the main thread is blocked.
      expect(droppedOnStderr(run.stderr), run.stderr).toBe(20_000);
      expect(run.stderr).toMatch(
        /\[LOGTANK_DROP\] Warning: logtank: dropped \d+ record\(s\) \(close-timeout\)/,
      );
    },
  );
});

describe('LTS failing for a while', () => {
  emulatorTest(
    'delivers everything, once and in order, through 5xx answers and dropped connections',
    async ({ emulator }) => {
      emulator.faults.enqueue(
        { status: 503 },
        { status: 500 },
        { drop: 'before-body' },
        { status: 502 },
      );
      const { run } = await runWorkerApp({
        clientOptions: { ...emulator.clientOptions(), labels: { app: 'fixture' } },
        transportOptions: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, maxBatchRecords: 50 },
        records: 300,
        exitMode: 'end',
      });

      expect(run.code).toBe(0);
      expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(300));
      const failed = emulator.requests().filter((request) => request.status !== 200);
      expect(failed.length).toBeGreaterThanOrEqual(4);
    },
  );

  emulatorTest(
    'delivers everything when connections drop after the body was sent (at least once)',
    async ({ emulator }) => {
      emulator.faults.enqueue({ drop: 'after-body' }, { drop: 'after-body' });
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { retry: { baseDelayMs: 20, maxDelayMs: 200 }, maxBatchRecords: 50 },
        records: 200,
        exitMode: 'exit',
      });

      expect(run.code).toBe(0);
      const delivered = new Set(emulator.records().map(messageOf));
      expect([...delivered].sort()).toEqual(numberedMessages(200).sort());
    },
  );
});

describe('LTS slower than the app', () => {
  /** A buffer the 5,000 lines (~0.6 MB) overflow ten times over. */
  const smallBuffer = { maxBufferBytes: 64 * 1024, maxBatchBytes: 8 * 1024 };

  emulatorTest(
    'pauses reading in a burst far larger than the buffer instead of dropping, and delivers every line',
    async ({ emulator }) => {
      // 8 requests of 8 KiB per 20 ms, and the 5,000 lines reach the worker at once.
      emulator.faults.latency(20);
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { ...smallBuffer, lingerMs: 5 },
        records: 5000,
        exitMode: 'end',
      });

      expect(run.code, run.stderr).toBe(0);
      expect(droppedOnStderr(run.stderr), run.stderr).toBe(0);
      expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(5000));
    },
  );

  emulatorTest(
    'with pauseOnBurst: false, drops by the overflow policy instead of pausing, and reports it',
    async ({ emulator }) => {
      emulator.faults.latency(20);
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { ...smallBuffer, lingerMs: 5, pauseOnBurst: false },
        records: 5000,
        exitMode: 'end',
      });

      expect(run.code, run.stderr).toBe(0);
      const dropped = droppedOnStderr(run.stderr);
      expect(dropped).toBeGreaterThan(1000);
      expect(run.stderr).toContain('\n[logtank buffer-full] ');
      expect(emulator.records().length + dropped).toBe(5000);
    },
  );

  emulatorTest(
    'logger.flush() calls back only once the lines a pause held back are delivered too',
    async ({ emulator }) => {
      emulator.faults.latency(20);
      const { run } = await runWorkerApp(
        {
          clientOptions: emulator.clientOptions(),
          transportOptions: { ...smallBuffer, lingerMs: 60_000 },
          records: 5000,
          exitMode: 'flush',
        },
        { signal: { name: 'SIGKILL', when: (stdout) => stdout.includes('flushed') } },
      );

      expect(run.stdout).toBe('flushed\n');
      expect(droppedOnStderr(run.stderr), run.stderr).toBe(0);
      expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(5000));
    },
  );

  emulatorTest(
    'holds a burst 2 s at most when LTS never answers, then drops and reports, and exits well inside pino’s 10 s',
    async ({ emulator }) => {
      emulator.faults.hang({});
      const closeTimeoutMs = 1000;
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions(),
        transportOptions: { ...smallBuffer, lingerMs: 5, timeoutMs: 60_000, closeTimeoutMs },
        records: 5000,
        exitMode: 'exit',
      });

      expect(run.code, run.stderr).toBe(0);
      // The pause (2 s) and the close (1 s) happen while pino holds the exiting main thread.
      expect(run.elapsedMs).toBeGreaterThan(2000 + closeTimeoutMs);
      expect(run.elapsedMs).toBeLessThan(9000);
      expect(droppedOnStderr(run.stderr), run.stderr).toBe(5000);
      // Each dropped line is written with its reason: past the pause by the overflow policy, the rest at close.
      expect(run.stderr).toContain('\n[logtank buffer-full] ');
      expect(run.stderr).toContain('\n[logtank close-timeout] ');
    },
  );
});

describe('LTS rejecting the token', () => {
  emulatorTest(
    'drops without a retry storm, keeps the app alive and never prints the token',
    async ({ emulator }) => {
      const token = `rejected${'R'.repeat(1500)}`;
      const { run } = await runWorkerApp({
        clientOptions: emulator.clientOptions({ token }),
        transportOptions: { lingerMs: 20 },
        records: 100,
        exitMode: 'natural',
      });

      expect(run.code).toBe(0);
      expect(emulator.records()).toHaveLength(0);
      // One request per batch at most, no retries of a 401 with a static token.
      const requests = emulator.requests();
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.length).toBeLessThanOrEqual(5);
      expect(requests.every((request) => request.status === 401)).toBe(true);
      expect(run.stderr).toContain('unauthorized');
      expect(run.stderr).not.toContain(token.slice(0, 40));
      expect(run.stdout).not.toContain(token.slice(0, 40));
    },
  );
});
