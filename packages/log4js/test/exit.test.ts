import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort, killFixtures, runFixture } from './run-fixture.ts';

let emulator: Emulator;

beforeEach(async () => {
  // tokens: [] makes the emulator refuse every token but its own.
  emulator = await startEmulator({ tokens: [] });
});

afterEach(async () => {
  killFixtures();
  await emulator.stop();
});

/** What app.cjs logs: `record <index>`, WARN every third, categories http and db in turn. */
function expectedRecord(index: number): { message: string; level: string; category: string } {
  return {
    message: `record ${index}`,
    level: index % 3 === 0 ? 'WARN' : 'INFO',
    category: index % 2 === 0 ? 'http' : 'db',
  };
}

function byTime<T extends { timeNs: bigint }>(records: T[]): T[] {
  return [...records].sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
}

/** The stored records as { message, level, category }, in time order. */
function storedInTimeOrder(): Array<{ message: string; level: string; category: string }> {
  return byTime(emulator.records()).map((record) => {
    const { message, level, category } = JSON.parse(record.content);
    return { message, level, category };
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, index) => from + index);
}

describe('log4js.shutdown(cb) in a CommonJS app that loads the appender by name', () => {
  it('delivers every event exactly once, in order, with the configured labels, then exits by itself', async () => {
    const run = await runFixture('app.cjs', {
      SCENARIO: 'shutdown',
      RECORDS: '3000',
      // A long linger: only shutdown can have sent the last batch.
      APPENDER_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        lingerMs: 60_000,
        maxBatchRecords: 500,
        labels: { app: 'checkout' },
      }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^shutdown-callback \d+ ok\n$/);
    // No deprecation warnings (a module-level shutdown/appender export would cause them), nothing else.
    expect(run.stderr).toBe('');
    expect(emulator.records()).toHaveLength(3000);
    expect(storedInTimeOrder()).toEqual(range(0, 3000).map(expectedRecord));
    expect(new Set(emulator.records().map((record) => JSON.stringify(record.labels)))).toEqual(
      new Set([JSON.stringify({ app: 'checkout' })]),
    );
  });

  it('has delivered everything when the callback runs (process.exit inside it loses nothing)', async () => {
    const run = await runFixture('app.cjs', {
      SCENARIO: 'shutdown',
      RECORDS: '1000',
      EXIT_IN_CALLBACK: '1',
      APPENDER_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(storedInTimeOrder()).toEqual(range(0, 1000).map(expectedRecord));
  });

  it('splits requests by labelKeys and keeps each label set in order', async () => {
    const run = await runFixture('app.cjs', {
      SCENARIO: 'shutdown',
      RECORDS: '600',
      APPENDER_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        labels: { app: 'checkout' },
        labelKeys: ['category', 'level'],
      }),
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
            .map(expectedRecord)
            .filter((entry) => entry.category === category && entry.level === level)
            .map((entry) => entry.message),
        );
      }
    }
  });

  it('delivers at the natural end of the program without shutdown', async () => {
    const run = await runFixture('app.cjs', {
      SCENARIO: 'natural',
      RECORDS: '800',
      APPENDER_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(storedInTimeOrder()).toEqual(range(0, 800).map(expectedRecord));
  });

  it('with a spool, keeps what process.exit() cut off and delivers it on the next start', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'logtank-log4js-spool-'));
    try {
      const options = { ...emulator.clientOptions(), lingerMs: 60_000, spool: { dir: directory } };
      const exited = await runFixture('app.cjs', {
        SCENARIO: 'process-exit',
        RECORDS: '500',
        APPENDER_OPTIONS: JSON.stringify(options),
      });
      expect(exited.code).toBe(0);
      expect(emulator.records()).toHaveLength(0);
      expect(readdirSync(directory).length).toBeGreaterThan(0);

      // The next run, however short (it logs nothing and shuts down at once), delivers it once, in order.
      const restarted = await runFixture('app.cjs', {
        SCENARIO: 'shutdown',
        RECORDS: '0',
        APPENDER_OPTIONS: JSON.stringify({ ...options, lingerMs: 50 }),
      });
      expect(restarted.code).toBe(0);
      await emulator.waitForRecords(500, { timeoutMs: 10_000 });
      expect(storedInTimeOrder()).toEqual(range(0, 500).map(expectedRecord));
      expect(readdirSync(directory)).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('loses nothing of the first config when log4js.configure() runs again', async () => {
    const run = await runFixture('app.cjs', {
      SCENARIO: 'reconfigure',
      RECORDS: '200',
      APPENDER_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        lingerMs: 60_000,
        labels: { phase: 'first' },
      }),
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
  });
});

describe('when LTS cannot take the logs', () => {
  it('calls the shutdown callback within closeTimeoutMs when LTS is down, reports the loss on one stderr line, and exits', async () => {
    const closeTimeoutMs = 1500;
    const options = {
      ...emulator.clientOptions(),
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      closeTimeoutMs,
    };
    const run = await runFixture('app.cjs', {
      SCENARIO: 'shutdown',
      RECORDS: '50',
      APPENDER_OPTIONS: JSON.stringify(options),
    });
    expect(run.code).toBe(0);
    const [, elapsedMs] = /^shutdown-callback (\d+) ok\n$/.exec(run.stdout) ?? [];
    expect(Number(elapsedMs)).toBeGreaterThanOrEqual(closeTimeoutMs - 50);
    expect(Number(elapsedMs)).toBeLessThan(closeTimeoutMs + 2500);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('Warning: logtank:'));
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /\[LOGTANK_DROP\] Warning: logtank: dropped 50 record\(s\) \(close-timeout\): /,
      ),
    );
    expect(warnings.length).toBeLessThanOrEqual(4);
    // Core's fallback writes the lost records themselves to stderr.
    expect(run.stderr).toContain('[logtank close-timeout] ');
    expect(run.stderr).not.toContain(options.token);
  });

  it('does not retry a rejected token, keeps the app alive and never prints the token', async () => {
    const token = `rejected-${'x'.repeat(1200)}`;
    const run = await runFixture('app.cjs', {
      SCENARIO: 'survive',
      RECORDS: '100',
      APPENDER_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), token, lingerMs: 50 }),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^shutdown-callback \d+ ok\nalive\n$/);
    expect(emulator.records()).toHaveLength(0);
    // Two batches (before and after the pause), each refused once: no retry storm.
    const refused = emulator.requests();
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(4);
    expect(refused.every((request) => request.status === 401)).toBe(true);
    expect(run.stderr).toMatch(/Warning: logtank: dropped \d+ record\(s\) \(unauthorized\)/);
    // Every lost record is written out by core's fallback, none is lost silently.
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('[logtank unauthorized] ')),
    ).toHaveLength(200);
    expect(run.stderr).not.toContain(token);
    expect(run.stderr).not.toContain(token.slice(0, 40));
    expect(run.stderr).not.toContain(emulator.token);
    for (const line of run.stderr.trimEnd().split('\n')) {
      expect(line).toMatch(
        /^(\[logtank unauthorized\] |\(node:\d+\) \[LOGTANK_|\(Use `node --trace-warnings)/,
      );
    }
  });
});
