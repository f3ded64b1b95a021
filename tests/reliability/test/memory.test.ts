import { sampleIds } from '@logtank/emulator';
import { closedPort } from '@logtank/test-support';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { killChildren, reportOf, runFixture } from './support/children.ts';
import { longRun, recordFigure, saveFigures } from './support/figures.ts';
import { type InProcessLogger, sleep, winstonLogger } from './support/in-process.ts';
import { secretToken, Transcript } from './support/secrets.ts';

// Memory stays bounded by maxBufferBytes when LTS is unreachable, the app's
// event loop keeps turning, and every record is accounted for as dropped.

const megabyte = 1024 * 1024;
const transcript = new Transcript();
const loggers: InProcessLogger[] = [];

afterEach(async () => {
  killChildren();
  await Promise.all(loggers.splice(0).map((logger) => logger.end()));
  expect(transcript.leaks()).toEqual([]);
  transcript.clear();
});

afterAll(() => saveFigures('memory'));

interface SoakReport {
  durationMs: number;
  sent: number;
  ratePerSecond: number;
  callMicroseconds: number;
  maxBufferBytes: number;
  baselineHeapMiB: number;
  maxRetainedHeapMiB: number;
  heapGrowthMiB: number;
  baselineRssMiB: number;
  maxRssMiB: number;
  rssGrowthMiB: number;
  maxBufferedBytes: number;
  maxBufferedRecords: number;
  samples: number;
  loopDelayMs: { mean: number; p99: number; max: number };
  final: { sent: number; delivered: number; dropped: number; buffered: number };
  droppedReported: number;
  dropEvents: number;
  dropReasons: Record<string, number>;
  errors: number;
}

async function unreachableOptions() {
  return {
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    ...sampleIds,
    token: secretToken,
  };
}

describe('soak against an unreachable endpoint', () => {
  const durationMs = longRun ? 30_000 : 5000;
  const maxBufferBytes = 4 * megabyte;
  // Stated overhead: buffered contents are held as strings plus their encoded request body
  // (about 2x), and the adapter, core and Node keep some megabytes of their own.
  const heapAllowance = 3 * maxBufferBytes + 16 * megabyte;
  const rssAllowance = 4 * maxBufferBytes + 96 * megabyte;

  it(`winston at ~40,000 records/s for ${durationMs / 1000} s: memory bounded, loop responsive, drops counted to the record`, async () => {
    const run = await runFixture('soak.mjs', {
      fixture: {
        clientOptions: await unreachableOptions(),
        durationMs,
        ratePerSecond: 40_000,
        maxBufferBytes,
      },
      // 16 MiB semi-spaces, Node 20's default: Node 24's V8 grows its young
      // generation further at this allocation rate, which RSS shows (+30 MiB
      // here) though nothing in it is retained.
      nodeFlags: ['--expose-gc', '--max-semi-space-size=16'],
      timeoutMs: durationMs + 60_000,
    });
    transcript.add(run.stdout);
    transcript.add(run.stderr);
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const report = reportOf<SoakReport>(run);

    // It really logged at a high rate, into a buffer that really filled up.
    expect(report.ratePerSecond).toBeGreaterThan(10_000);
    expect(report.dropReasons['buffer-full']).toBeGreaterThan(0);
    // Every record is accounted for: nothing delivered, everything reported dropped.
    expect(report.final).toEqual({
      sent: report.sent,
      delivered: 0,
      dropped: report.sent,
      buffered: 0,
    });
    expect(report.droppedReported).toBe(report.sent);
    // Bounded: what is held, and the memory that holds it.
    expect(report.maxBufferedRecords).toBeLessThan(maxBufferBytes / 60);
    expect(report.heapGrowthMiB * megabyte).toBeLessThan(heapAllowance);
    expect(report.rssGrowthMiB * megabyte).toBeLessThan(rssAllowance);
    // Generous: a shared 2-core machine; the logging slices themselves take a few ms.
    expect(report.loopDelayMs.p99).toBeLessThan(250);

    recordFigure({
      area: 'memory',
      scenario: `winston → closed loopback port, maxBufferBytes ${maxBufferBytes / megabyte} MiB, drop-newest, --expose-gc (16 MiB semi-spaces) samples every 250 ms`,
      amount: `${report.sent} records in ${(report.durationMs / 1000).toFixed(1)} s (${report.ratePerSecond}/s)`,
      outcome: `retained heap +${report.heapGrowthMiB} MiB (allowance ${heapAllowance / megabyte}), RSS +${report.rssGrowthMiB} MiB (allowance ${rssAllowance / megabyte}); at most ${report.maxBufferedRecords} records / ${report.maxBufferedBytes} bytes buffered; loop delay mean ${report.loopDelayMs.mean} / p99 ${report.loopDelayMs.p99} / max ${report.loopDelayMs.max} ms; ${report.callMicroseconds} µs per log call; delivered 0 + dropped ${report.final.dropped} = sent ${report.sent} (${Object.entries(
        report.dropReasons,
      )
        .map(([reason, count]) => `${reason} ${count}`)
        .join(', ')}), onDrop total ${report.droppedReported}`,
    });
  });
});

describe('the buffer bound, counted exactly', () => {
  // Records are admitted on an estimate; encoding (quotes, control characters
  // escaped up to 6×) must not carry stats().bufferedBytes past the bound.
  it('stats().bufferedBytes stays within maxBufferBytes for escape-heavy content', async () => {
    const maxBufferBytes = 8 * 1024;
    // The transport's printf format sends the bare message: the control characters reach
    // core raw, 6 bytes each once escaped.
    const logger = winstonLogger(
      {
        ...(await unreachableOptions()),
        format: winston.format.printf((info) => String(info.message)),
        maxBufferBytes,
        maxBatchBytes: 4096,
        maxBatchRecords: 20,
        lingerMs: 20,
        retry: { maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 500 },
        closeTimeoutMs: 200,
        fallback: 'none',
      },
      transcript,
      ` ${'\u0001'.repeat(100)}`,
    );
    loggers.push(logger);
    let maxBuffered = 0;
    for (let tick = 0, sequence = 0; tick < 20; tick++) {
      for (let index = 0; index < 50; index++) {
        logger.log(sequence++);
        maxBuffered = Math.max(maxBuffered, logger.stats()!.bufferedBytes);
      }
      await sleep(50);
      maxBuffered = Math.max(maxBuffered, logger.stats()!.bufferedBytes);
    }
    recordFigure({
      area: 'memory',
      scenario:
        'escape-heavy records (100 × \\u0001 each) against a closed port, maxBufferBytes 8 KiB',
      amount: '1,000 records',
      outcome: `stats().bufferedBytes reached ${maxBuffered} (${(maxBuffered / maxBufferBytes).toFixed(2)} × maxBufferBytes)`,
    });
    expect(maxBuffered).toBeLessThanOrEqual(maxBufferBytes);
  });
});
