import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, type FixtureRun, killFixtures, runFixture } from './run-fixture.ts';
import { byTime } from './winston-harness.ts';

let emulator: Emulator;
let spoolDirectory: string | undefined;

beforeEach(async () => {
  // tokens: [] makes the emulator refuse every token but its own.
  emulator = await startEmulator({ tokens: [] });
});

afterEach(async () => {
  killFixtures();
  await emulator.stop();
  if (spoolDirectory !== undefined) rmSync(spoolDirectory, { recursive: true, force: true });
  spoolDirectory = undefined;
});

/** The exact line winston's json() format makes of what app.mjs logs as record `index`. */
function expectedContent(index: number): string {
  const level = index % 3 === 0 ? 'warn' : 'info';
  return `{"index":${index},"level":"${level}","message":"record ${index}"}`;
}

function expectedContents(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, offset) => expectedContent(from + offset));
}

/** The stored contents in LTS time order. */
function storedInTimeOrder(): string[] {
  return byTime(emulator.records()).map((record) => record.content);
}

/** What app.mjs measured from the fatal error to process.exit. */
function exitDelayMs(run: FixtureRun): number {
  const [, code, delayMs] = /^exit (\d+) after (\d+) ms$/m.exec(run.stdout) ?? [];
  expect(code).toBe('1');
  return Number(delayMs);
}

function transportOptions(overrides: object = {}): string {
  return JSON.stringify({ ...emulator.clientOptions(), ...overrides });
}

describe('logger.end() and finish (the documented shutdown)', () => {
  it('delivers every entry exactly once, in order, with the labels, before finish; then the app exits by itself', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'end',
      RECORDS: '3000',
      // A long linger: only the shutdown can have sent the last batch.
      TRANSPORT_OPTIONS: transportOptions({
        lingerMs: 60_000,
        maxBatchRecords: 500,
        labels: { app: 'checkout' },
      }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^finish \d+\n$/);
    expect(run.stderr).toBe('');
    expect(emulator.records()).toHaveLength(3000);
    expect(storedInTimeOrder()).toEqual(expectedContents(0, 3000));
    expect(new Set(emulator.records().map((record) => JSON.stringify(record.labels)))).toEqual(
      new Set([JSON.stringify({ app: 'checkout' })]),
    );
  });

  it('has delivered everything when finish fires (process.exit inside the handler loses nothing)', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'end',
      RECORDS: '1000',
      EXIT_ON_FINISH: '1',
      TRANSPORT_OPTIONS: transportOptions({ lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(storedInTimeOrder()).toEqual(expectedContents(0, 1000));
  });
});

describe('other ways the program ends', () => {
  it('delivers everything at the natural end of the program, without logger.end()', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'natural',
      RECORDS: '800',
      TRANSPORT_OPTIONS: transportOptions({ lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(storedInTimeOrder()).toEqual(expectedContents(0, 800));
  });

  it('handleExceptions: delivers the entries and the exception entry, then exits with code 1 like winston', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'exception',
      RECORDS: '500',
      TRANSPORT_OPTIONS: transportOptions({ lingerMs: 60_000 }),
    });
    expect(run.code).toBe(1);
    // The transport's finish came well before winston's 3 s limit.
    expect(exitDelayMs(run)).toBeLessThan(2000);
    const stored = storedInTimeOrder();
    expect(stored).toHaveLength(501);
    expect(stored.slice(0, 500)).toEqual(expectedContents(0, 500));
    const exception = JSON.parse(stored[500]!);
    expect(exception).toMatchObject({
      level: 'error',
      exception: true,
      message: expect.stringMatching(/^uncaughtException: unexpected failure\n/),
      stack: expect.stringContaining('Error: unexpected failure'),
    });
  });

  it('handleRejections: delivers the entries and the rejection entry, then exits with code 1', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'rejection',
      RECORDS: '200',
      TRANSPORT_OPTIONS: transportOptions({ lingerMs: 60_000 }),
    });
    expect(run.code).toBe(1);
    expect(exitDelayMs(run)).toBeLessThan(2000);
    const stored = storedInTimeOrder();
    expect(stored).toHaveLength(201);
    expect(stored.slice(0, 200)).toEqual(expectedContents(0, 200));
    expect(JSON.parse(stored[200]!)).toMatchObject({
      level: 'error',
      rejection: true,
      message: expect.stringMatching(/^unhandledRejection: unexpected rejection\n/),
    });
  });

  it('process.exit() right after logging: with a spool, the entries are delivered on the next start', async () => {
    spoolDirectory = mkdtempSync(join(tmpdir(), 'logtank-winston-spool-'));
    const spool = { dir: spoolDirectory };
    const exited = await runFixture('app.mjs', {
      SCENARIO: 'exit',
      RECORDS: '1000',
      TRANSPORT_OPTIONS: transportOptions({ lingerMs: 60_000, spool }),
    });
    expect(exited.code).toBe(0);
    expect(exited.stderr).toBe('');
    expect(emulator.records()).toHaveLength(0);
    expect(readdirSync(spoolDirectory).length).toBeGreaterThan(0);

    // The next start logs ten more and ends naturally. (Not logger.end() at once: core's
    // close() does not wait for a spool replay already on the wire; see the report.)
    const next = await runFixture('app.mjs', {
      SCENARIO: 'natural',
      RECORDS: '10',
      TRANSPORT_OPTIONS: transportOptions({ spool }),
    });
    expect(next.code).toBe(0);
    expect(next.stderr).toBe('');
    const stored = emulator.records().map((record) => record.content);
    expect(stored).toHaveLength(1010);
    expect(stored.filter((content) => content.includes('"record 5"'))).toHaveLength(2);
    expect([...new Set(stored)].sort()).toEqual(expectedContents(0, 1000).sort());
    expect(readdirSync(spoolDirectory)).toEqual([]);
  });

  it('process.exit() right after logging without a spool: the loss is reported, never silent', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'exit',
      RECORDS: '100',
      TRANSPORT_OPTIONS: transportOptions({ lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(emulator.records()).toHaveLength(0);
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('[logtank process-exit] ')),
    ).toHaveLength(100);
  });
});

describe('when LTS cannot take the logs', () => {
  it('LTS down: finish comes within closeTimeoutMs, the loss is reported on stderr, and the app exits', async () => {
    const closeTimeoutMs = 1500;
    const options = {
      ...emulator.clientOptions(),
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      closeTimeoutMs,
    };
    const run = await runFixture('app.mjs', {
      SCENARIO: 'end',
      RECORDS: '50',
      TRANSPORT_OPTIONS: JSON.stringify(options),
    });
    expect(run.code).toBe(0);
    const [, elapsedMs] = /^finish (\d+)\n$/.exec(run.stdout) ?? [];
    expect(Number(elapsedMs)).toBeGreaterThanOrEqual(closeTimeoutMs - 50);
    expect(Number(elapsedMs)).toBeLessThan(closeTimeoutMs + 2500);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('Warning: logtank:'));
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /\[LOGTANK_DROP\] Warning: logtank: dropped 50 record\(s\) \(close-timeout\): /,
      ),
    );
    expect(warnings.length).toBeLessThanOrEqual(4);
    // Core's fallback writes the lost entries themselves to stderr.
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('[logtank close-timeout] ')),
    ).toEqual(expectedContents(0, 50).map((content) => `[logtank close-timeout] ${content}`));
    expect(run.stderr).not.toContain(options.token);
  });

  it("handleExceptions with LTS down: winston's 3 s bound ends the app, the entries are reported, not lost silently", async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'exception',
      RECORDS: '20',
      TRANSPORT_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        endpoint: `http://127.0.0.1:${await closedPort()}`,
      }),
    });
    expect(run.code).toBe(1);
    expect(exitDelayMs(run)).toBeGreaterThanOrEqual(2950);
    expect(exitDelayMs(run)).toBeLessThan(4500);
    const fallbackLines = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('[logtank process-exit] '));
    expect(fallbackLines.slice(0, 20)).toEqual(
      expectedContents(0, 20).map((content) => `[logtank process-exit] ${content}`),
    );
    expect(fallbackLines).toHaveLength(21);
    expect(fallbackLines[20]).toContain('uncaughtException: unexpected failure');
  });

  it('LTS down: a warn listener gets the failures as events instead of process warnings', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'end',
      RECORDS: '20',
      PRINT_WARNINGS: '1',
      TRANSPORT_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        closeTimeoutMs: 500,
      }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^warn LtsDeliveryError: /m);
    expect(run.stdout).toMatch(
      /^warn LtsDropWarning: logtank dropped 20 record\(s\) \(close-timeout\): /m,
    );
    expect(run.stdout).toMatch(/^finish \d+$/m);
    expect(run.stderr).not.toContain('Warning: logtank');
  });

  it('a rejected token: no retry storm, the app keeps running, the token is never printed', async () => {
    const token = `rejected-${'x'.repeat(1200)}`;
    const run = await runFixture('app.mjs', {
      SCENARIO: 'survive',
      RECORDS: '100',
      TRANSPORT_OPTIONS: transportOptions({ token, lingerMs: 50 }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^finish \d+\nalive\n$/);
    expect(emulator.records()).toHaveLength(0);
    // Two batches (before and after the pause), each refused once: no retry storm.
    const refused = emulator.requests();
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(4);
    expect(refused.every((request) => request.status === 401)).toBe(true);
    expect(run.stderr).toMatch(/Warning: logtank: dropped \d+ record\(s\) \(unauthorized\)/);
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('[logtank unauthorized] ')),
    ).toHaveLength(200);
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(token);
      expect(output).not.toContain(token.slice(0, 40));
      expect(output).not.toContain(emulator.token);
    }
  });
});
