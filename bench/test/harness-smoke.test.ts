import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, runNodeScript } from './node-script.ts';

interface CaseRuns {
  case: string;
  runs: Array<{
    complete: boolean;
    delivered: number;
    extra: number;
    error?: string;
    cpuMs: number;
    mainThreadCpuMs?: number;
    sinkCpuMs?: number;
  }>;
}

interface SmokeReport {
  settings: { records: number; credentials: { records: number } };
  cases: CaseRuns[];
  credentials: Array<CaseRuns & { credentials: string }>;
  burst: CaseRuns[];
}

let folder: string | undefined;

afterEach(async () => {
  // The harness ends its own sink and cases when it exits; a hung one is killed as a group.
  killStarted();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

/** Runs `node run.mjs --smoke` into a temp folder; resolves its exit code, kills it after `timeoutMs`. */
function runHarness(outputFolder: string, timeoutMs: number) {
  return runNodeScript(
    [
      'run.mjs',
      '--smoke',
      '--output',
      join(outputFolder, 'RESULTS.md'),
      '--json',
      join(outputFolder, 'results.json'),
    ],
    timeoutMs,
  );
}

describe('bench harness (smoke mode)', () => {
  it('delivers every record of our three cases and writes the results table', async () => {
    folder = await mkdtemp(join(tmpdir(), 'logtank-bench-'));
    const startedAt = Date.now();
    const { code, stderr } = await runHarness(folder, 75_000);
    expect(code, stderr).toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(60_000);

    const report = JSON.parse(await readFile(join(folder, 'results.json'), 'utf8')) as SmokeReport;
    const names = report.cases.map((entry) => entry.case).sort();
    expect(names).toEqual(
      [
        'log4js-devnull',
        'log4js-logtank',
        'pino-devnull',
        'pino-discard',
        'pino-logtank',
        'winston-devnull',
        'winston-discard',
        'winston-logtank',
      ].sort(),
    );
    // The ceilings (transports that discard) finish their documented shutdown.
    for (const name of ['pino-discard', 'winston-discard']) {
      const runs = report.cases.find((entry) => entry.case === name)?.runs ?? [];
      expect(runs[0]?.error, name).toBeUndefined();
      expect(runs[0]?.complete, name).toBe(true);
    }
    for (const name of ['pino-logtank', 'winston-logtank', 'log4js-logtank']) {
      const runs = report.cases.find((entry) => entry.case === name)?.runs ?? [];
      expect(runs.length, name).toBe(1);
      expect(runs[0]?.error, name).toBeUndefined();
      expect(runs[0]?.complete, name).toBe(true);
      expect(runs[0]?.delivered, name).toBe(report.settings.records);
      expect(runs[0]?.extra, name).toBe(0);
      // The main thread's share of the CPU, where Linux tells it (/proc/thread-self).
      if (process.platform === 'linux') {
        expect(runs[0]?.mainThreadCpuMs, name).toBeGreaterThanOrEqual(0);
        expect(runs[0]?.mainThreadCpuMs, name).toBeLessThanOrEqual((runs[0]?.cpuMs ?? 0) + 20);
        // The sink's CPU while the case ran, read from /proc/<sink pid>/stat.
        expect(typeof runs[0]?.sinkCpuMs, name).toBe('number');
        expect(runs[0]?.sinkCpuMs, name).toBeGreaterThanOrEqual(0);
      }
    }

    const markdown = await readFile(join(folder, 'RESULTS.md'), 'utf8');
    expect(markdown).toContain('| Case | Delivered | Loop µs/record |');
    expect(markdown).toContain('| CPU ms / 1k rec | of which main thread | Sink CPU ms / 1k rec |');
    for (const label of [
      'pino + @logtank/pino (worker)',
      'winston + @logtank/winston',
      'log4js + @logtank/log4js',
    ]) {
      expect(markdown).toContain(`| **${label}** | 2,000 / 2,000 |`);
      // The burst section: 3,000 records of 1 KiB in smoke mode.
      expect(markdown).toContain(`| **${label}** | 3,000 / 3,000 |`);
    }
    // AK/SK against token: each of our cases with both credentials, side by side.
    expect(markdown).toContain('## AK/SK against token');
    expect(markdown).toContain('| rec/s, token | rec/s, AK/SK | AK/SK ÷ token |');
    for (const label of [
      'pino + @logtank/pino (worker)',
      'winston + @logtank/winston',
      'log4js + @logtank/log4js',
    ]) {
      expect(markdown).toContain(`| **${label}** | 2,000 / 2,000; 2,000 / 2,000 |`);
    }
    expect(report.credentials.map((entry) => `${entry.case} ${entry.credentials}`).sort()).toEqual(
      ['pino-logtank', 'winston-logtank', 'log4js-logtank']
        .flatMap((name) => [`${name} token`, `${name} access-key`])
        .sort(),
    );
    for (const entry of report.credentials) {
      const what = `${entry.case} ${entry.credentials}`;
      expect(entry.runs[0]?.error, what).toBeUndefined();
      expect(entry.runs[0]?.complete, what).toBe(true);
      expect(entry.runs[0]?.delivered, what).toBe(report.settings.credentials.records);
    }
    expect(markdown).toContain('## A sustained burst');
    expect(report.burst.map((entry) => entry.case).sort()).toEqual(
      ['log4js-logtank', 'pino-logtank', 'winston-logtank'].sort(),
    );
    for (const entry of report.burst) {
      expect(entry.runs[0]?.complete, entry.case).toBe(true);
      expect(entry.runs[0]?.delivered, entry.case).toBe(3000);
    }
    expect(markdown).toContain('## Targets');
    expect(markdown).toContain(
      '| winston + a transport that discards (the ceiling) | n/a (discarded) |',
    );
  });
});
