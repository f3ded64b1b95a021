import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from '@logtank/emulator';
import * as lts4js from '@logtank/log4js';
import { ltsTransport } from '@logtank/pino';
import { LtsTransport } from '@logtank/winston';
import fc from 'fast-check';
import log4js from 'log4js';
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import winston from 'winston';
import { recordFigure, saveFigures } from './support/figures.ts';
import {
  type Hostility,
  hostileObject,
  hostileString,
  hostility,
  nonStringValue,
  plainObject,
} from './support/hostile-values.ts';
import { secretToken, Transcript } from './support/secrets.ts';

// Whatever the app logs, through each adapter's public API: the log call
// never throws because of logtank, every request is well-formed (the
// emulator accepts all of them), and what LTS stores is exactly what the
// framework would have written (a second, in-memory destination on the same
// logger shows what that is).

const numRuns = 60;
const tenMegabyteLine = `ten megabytes: ${'0123456789abcdef'.repeat(655_360)}`;
let emulator: Emulator;
const transcript = new Transcript();

beforeEach(async () => {
  emulator = await startEmulator({ tokens: [secretToken] });
});

afterEach(async () => {
  await emulator.stop();
  expect(transcript.leaks()).toEqual([]);
  transcript.clear();
});

afterAll(() => saveFigures('bad-input'));

/** Options for the adapters: small label-set limit so "too many label sets" is reached. */
function clientOptions() {
  return {
    ...emulator.clientOptions({ token: secretToken }),
    lingerMs: 20,
    maxLabelSets: 16,
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    onError: (error: Error) => transcript.add(error),
  };
}

interface Outcome {
  framework: string;
  calls: number;
  expectedLines: string[];
  frameworkThrows: number;
}

/**
 * Checks what the emulator received against what the framework wrote
 * elsewhere: all requests 200, stored contents equal the expected lines
 * (order aside: label sets travel separately); the 10 MB line truncated, not lost.
 */
function expectRoundTrip(
  outcome: Outcome,
  stored = emulator.records().map((record) => record.content),
  truncatedLimit = 1024 * 1024,
): void {
  const requests = emulator.requests().filter((request) => request.route === 'report');
  const refused = requests.filter((request) => request.status !== 200);
  expect(refused.map((request) => `${request.status} ${request.error}`)).toEqual([]);
  const long = outcome.expectedLines.filter((line) => line.length > truncatedLimit);
  const fitting = outcome.expectedLines.filter(
    (line) => line.length <= truncatedLimit && line !== '',
  );
  const storedFitting = stored.filter((content) => !content.includes('ten megabytes: 0123'));
  // Guards against a vacuous pass: the framework really wrote, and the big line was among it.
  expect(fitting.length).toBeGreaterThan(numRuns);
  expect(long).toHaveLength(1);
  expect(storedFitting.length).toBe(fitting.length);
  expect([...storedFitting].sort()).toEqual([...fitting].sort());
  for (const line of long) {
    const truncated = stored.find((content) => content.startsWith(line.slice(0, 1000)));
    expect(truncated, 'the 10 MB line arrives, cut to fit').toBeDefined();
    expect(truncated!.length).toBeLessThan(line.length);
    expect(line.startsWith(truncated!.slice(0, 100_000))).toBe(true);
  }
  const labelSets = new Set(emulator.records().map((record) => JSON.stringify(record.labels)));
  const summary = `${outcome.calls} log calls (${numRuns} runs × 2 properties + 10 MB line), ${requests.length} requests all 200, ${storedFitting.length} contents equal to the framework's own output, ${long.length} 10 MB line(s) truncated to ${stored.find((content) => content.includes('ten megabytes: 0123'))?.length ?? 0} chars, ${labelSets.size} label sets stored, ${outcome.frameworkThrows} calls where the framework itself threw (its twin without logtank threw too)`;
  recordFigure({
    area: 'bad input',
    scenario: `${outcome.framework}: hostile strings, objects, label values (fast-check)`,
    amount: `${outcome.calls} log calls`,
    outcome: summary,
  });
}

/** Runs `call`; a throw is allowed only where `twin` (the framework without logtank) throws too. */
function callBoth(call: () => void, twin: () => void): 'ok' | 'framework-threw' {
  let twinThrew = false;
  try {
    twin();
  } catch {
    twinThrew = true;
  }
  try {
    call();
  } catch (error) {
    if (!twinThrew)
      throw new Error(`the log call threw (the framework alone did not): ${String(error)}`);
    return 'framework-threw';
  }
  return twinThrew ? 'framework-threw' : 'ok';
}

/** Collects lines; as UTF-8 bytes decoded (what a file would hold) unless `decodeStrings` is false. */
function memorySink(lines: string[], decodeStrings = true): Writable {
  let pending = '';
  return new Writable({
    decodeStrings,
    write(chunk: Buffer | string, _encoding, callback) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop()!;
      lines.push(...parts);
      callback();
    },
  });
}

describe('hostile input through each adapter', () => {
  it('winston: never throws into the app; requests accepted; content equals the format output', async () => {
    const lines: string[] = [];
    const transport = new LtsTransport({ ...clientOptions(), labelKeys: ['tenant', 'level'] });
    const logger = winston.createLogger({
      format: winston.format.json(),
      // Strings as winston wrote them (not bytes): lone surrogates stay as they are.
      transports: [transport, new winston.transports.Stream({ stream: memorySink(lines, false) })],
    });
    const twinLines: string[] = [];
    const twin = winston.createLogger({
      format: winston.format.json(),
      transports: [new winston.transports.Stream({ stream: memorySink(twinLines) })],
    });
    let calls = 0;
    let frameworkThrows = 0;
    const count = (result: string) => {
      calls += 1;
      if (result === 'framework-threw') frameworkThrows += 1;
    };

    fc.assert(
      fc.property(hostileString, fc.oneof(hostileString, nonStringValue), (message, tenant) => {
        count(
          callBoth(
            () => logger.info(message, { tenant }),
            () => twin.info(message, { tenant }),
          ),
        );
      }),
      { numRuns },
    );
    fc.assert(
      fc.property(plainObject, hostility, hostileString, (base, how: Hostility, message) => {
        count(
          callBoth(
            () => logger.warn(message, hostileObject(base, how)),
            () => twin.warn(message, hostileObject(base, how)),
          ),
        );
      }),
      { numRuns },
    );
    logger.info(tenMegabyteLine);
    calls += 1;
    await new Promise<void>((resolve) => {
      logger.on('finish', () => resolve());
      logger.end();
    });
    const stats = transport.client.stats();
    transcript.add(stats);
    expect(stats.dropped).toBe(0);
    expect(stats.truncated).toBe(1);
    expect(stats.delivered).toBe(stats.sent);
    expect(stats.labelSetOverflows).toBeGreaterThan(0);
    expectRoundTrip({ framework: 'winston', calls, expectedLines: lines, frameworkThrows });
  });

  it('pino (in-process stream): never throws into the app; requests accepted; content equals the line pino wrote', async () => {
    const lines: string[] = [];
    const stream = await ltsTransport({ ...clientOptions(), labelKeys: ['tenant', 'level'] });
    const logger = pino({}, pino.multistream([{ stream }, { stream: memorySink(lines) }]));
    const twin = pino({}, memorySink([]));
    let calls = 0;
    let frameworkThrows = 0;
    const count = (result: string) => {
      calls += 1;
      if (result === 'framework-threw') frameworkThrows += 1;
    };
    fc.assert(
      fc.property(hostileString, fc.oneof(hostileString, nonStringValue), (message, tenant) => {
        count(
          callBoth(
            () => logger.info({ tenant }, message),
            () => twin.info({ tenant }, message),
          ),
        );
      }),
      { numRuns },
    );
    fc.assert(
      fc.property(plainObject, hostility, hostileString, (base, how: Hostility, message) => {
        count(
          callBoth(
            () => logger.warn(hostileObject(base, how), message),
            () => twin.warn(hostileObject(base, how), message),
          ),
        );
      }),
      { numRuns },
    );
    logger.info(tenMegabyteLine);
    calls += 1;
    stream.end();
    await new Promise((resolve) => stream.once('close', resolve));
    expectRoundTrip({ framework: 'pino', calls, expectedLines: lines, frameworkThrows });
  });

  it('log4js: never throws into the app; requests accepted; content equals the layout output', async () => {
    const lines: string[] = [];
    const memoryAppender = {
      configure: (_config?: unknown, layouts?: unknown) => {
        const layout = (layouts as { messagePassThroughLayout: (event: unknown) => string })
          .messagePassThroughLayout;
        return (event: unknown) => {
          lines.push(layout(event));
        };
      },
    };
    const drops: number[] = [];
    log4js.configure({
      appenders: {
        lts: {
          type: lts4js,
          ...clientOptions(),
          layout: { type: 'messagePassThrough' },
          labelKeys: ['category', 'level'],
          onDrop: (event: { reason: string; count: number }) => {
            transcript.add(event);
            if (event.reason === 'empty') drops.push(event.count);
          },
        },
        // The default JSON content too, in its own label set (checked for acceptance).
        json: { type: lts4js, ...clientOptions(), labels: { variant: 'json' } },
        memory: { type: memoryAppender },
      },
      categories: { default: { appenders: ['lts', 'json', 'memory'], level: 'info' } },
    });
    let calls = 0;
    fc.assert(
      fc.property(hostileString, fc.oneof(hostileString, nonStringValue), (message, category) => {
        const logger = log4js.getLogger(
          typeof category === 'string' && category !== '' ? category : 'c',
        );
        expect(() => logger.info(message, category)).not.toThrow();
        calls += 1;
      }),
      { numRuns },
    );
    fc.assert(
      fc.property(plainObject, hostility, hostileString, (base, how: Hostility, message) => {
        const logger = log4js.getLogger('objects');
        expect(() => logger.warn(message, hostileObject(base, how))).not.toThrow();
        calls += 1;
      }),
      { numRuns },
    );
    log4js.getLogger('big').info(tenMegabyteLine);
    calls += 1;
    await new Promise<void>((resolve) => log4js.shutdown(() => resolve()));

    const jsonRecords = emulator.records().filter((record) => record.labels.variant === 'json');
    expect(jsonRecords).toHaveLength(calls);
    // Valid JSON, except the 10 MB record: cut to fit, its JSON ends early.
    for (const record of jsonRecords) {
      if (!record.content.includes('ten megabytes: 0123')) {
        expect(() => JSON.parse(record.content)).not.toThrow();
      }
    }
    // Empty layout output cannot go to LTS: reported dropped ('empty'), never sent.
    const empty = lines.filter((line) => line === '').length;
    expect(drops.reduce((total, count) => total + count, 0)).toBe(empty);
    const passThrough = emulator
      .records()
      .filter((record) => record.labels.variant !== 'json')
      .map((record) => record.content);
    expectRoundTrip(
      { framework: 'log4js', calls, expectedLines: lines, frameworkThrows: 0 },
      passThrough,
    );
  });
});
