import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { longRun, recordFigure, saveFigures } from './support/figures.ts';
import {
  type InProcessLogger,
  log4jsLogger,
  sleep,
  until,
  winstonLogger,
} from './support/in-process.ts';
import { iamPassword, secretToken, Transcript } from './support/secrets.ts';
import { checkSequences } from './support/sequence.ts';

// LTS goes away and comes back; tokens expire. The loggers run in this
// process, so every onError/onDrop event is counted and scanned.

const outageMs = longRun ? 30_000 : 3000;
const emulators: Emulator[] = [];
const transcript = new Transcript();
const loggers: InProcessLogger[] = [];

function onWarning(warning: Error): void {
  transcript.add(warning);
}

beforeEach(() => {
  process.on('warning', onWarning);
});

afterEach(async () => {
  process.off('warning', onWarning);
  // A test that failed half-way still ends its logger (bounded by closeTimeoutMs).
  await Promise.all(loggers.splice(0).map((logger) => logger.end()));
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
  expect(transcript.leaks()).toEqual([]);
  transcript.clear();
});

afterAll(() => saveFigures('recovery'));

async function emulatorOn(port = 0): Promise<Emulator> {
  const emulator = await startEmulator({ port, tokens: [secretToken] });
  emulators.push(emulator);
  return emulator;
}

function portOf(emulator: Emulator): number {
  return Number(new URL(emulator.url).port);
}

/** Logs `count` records from `first`, `perTick` every 100 ms, spread over about `durationMs`. */
async function logPaced(
  logger: InProcessLogger,
  first: number,
  durationMs: number,
  perTick: number,
  sample: () => void = () => {},
): Promise<number> {
  let sequence = first;
  const ticks = Math.max(1, Math.round(durationMs / 100));
  for (let tick = 0; tick < ticks; tick++) {
    for (let index = 0; index < perTick; index++) logger.log(sequence++);
    sample();
    await sleep(100);
  }
  return sequence;
}

const outageClientOptions = {
  lingerMs: 20,
  maxBatchRecords: 100,
  // Retries outlast the outage; a refused connection is retryable.
  retry: { maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 500 },
  closeTimeoutMs: 20_000,
};

describe('outage, then recovery on the same port', () => {
  it(`log4js: a ${outageMs / 1000} s outage with room in the buffer: everything delivered once`, async () => {
    let emulator = await emulatorOn();
    const port = portOf(emulator);
    const logger = log4jsLogger(
      { ...emulator.clientOptions({ token: secretToken }), ...outageClientOptions },
      transcript,
    );
    loggers.push(logger);
    for (let sequence = 0; sequence < 100; sequence++) logger.log(sequence);
    await emulator.waitForRecords(100);
    await sleep(100); // the 200 answer reaches the client before the server goes
    const before = emulator.records().map((record) => record.content);
    await emulator.stop();

    const errorsBefore = logger.errors.length;
    let next = await logPaced(logger, 100, outageMs, 50);
    const duringOutage = next - 100;
    emulator = await emulatorOn(port);
    for (let index = 0; index < 100; index++) logger.log(next++);
    loggers.splice(loggers.indexOf(logger), 1);
    await logger.end();

    const contents = [...before, ...emulator.records().map((record) => record.content)];
    const check = checkSequences(contents, next);
    expect(check).toEqual({ unique: next, duplicates: 0, missing: [], strangers: [] });
    expect(logger.drops).toEqual([]);
    const refused = logger.errors.length - errorsBefore;
    expect(refused).toBeGreaterThan(0);
    recordFigure({
      area: 'recovery',
      scenario: `log4js: emulator stopped for ${outageMs / 1000} s, restarted on the same port; maxBufferBytes default (64 MiB)`,
      amount: `${next} records, ${duringOutage} of them during the outage`,
      outcome: `${refused} failed attempts reported via onError; ${check.unique}/${next} delivered, 0 duplicates, 0 dropped`,
    });
  });

  it(`winston: a ${outageMs / 1000} s outage with an 8 KiB buffer: drops counted to the record`, async () => {
    let emulator = await emulatorOn();
    const port = portOf(emulator);
    const maxBufferBytes = 8 * 1024;
    const logger = winstonLogger(
      {
        ...emulator.clientOptions({ token: secretToken }),
        ...outageClientOptions,
        maxBatchRecords: 20,
        maxBatchBytes: 4 * 1024,
        maxBufferBytes,
        fallback: 'none',
      },
      transcript,
      ` ${'x'.repeat(60)}`,
    );
    loggers.push(logger);
    for (let sequence = 0; sequence < 50; sequence++) logger.log(sequence);
    await until(() => logger.stats()!.delivered === 50);
    const before = emulator.records().map((record) => record.content);
    await emulator.stop();

    let maxBuffered = 0;
    let maxBufferedRecords = 0;
    let next = await logPaced(logger, 50, outageMs, 50, () => {
      const stats = logger.stats()!;
      maxBuffered = Math.max(maxBuffered, stats.bufferedBytes);
      maxBufferedRecords = Math.max(maxBufferedRecords, stats.buffered);
      expect(stats.delivered + stats.dropped + stats.buffered).toBe(stats.sent);
    });
    const duringOutage = next - 50;
    expect(maxBuffered).toBeLessThanOrEqual(maxBufferBytes);
    expect(maxBufferedRecords).toBeLessThan(maxBufferBytes / 60);
    emulator = await emulatorOn(port);
    for (let index = 0; index < 50; index++) logger.log(next++);
    loggers.splice(loggers.indexOf(logger), 1);
    await logger.end();

    const final = logger.stats()!;
    const stored = [...before, ...emulator.records().map((record) => record.content)];
    const droppedContents = logger.drops.flatMap((event) => event.contents);
    const droppedCount = logger.drops.reduce((total, event) => total + event.count, 0);
    expect(new Set(logger.drops.map((event) => event.reason))).toEqual(new Set(['buffer-full']));
    expect(droppedCount).toBe(droppedContents.length);
    expect(final).toMatchObject({ sent: next, buffered: 0, dropped: droppedCount });
    expect(final.delivered).toBe(stored.length);
    expect(final.delivered + droppedCount).toBe(next);
    // Each record exactly once: stored or reported dropped, never both, never neither.
    const check = checkSequences([...stored, ...droppedContents], next);
    expect(check).toEqual({ unique: next, duplicates: 0, missing: [], strangers: [] });
    expect(droppedCount).toBeGreaterThan(duringOutage / 2);
    recordFigure({
      area: 'recovery',
      scenario: `winston: emulator stopped for ${outageMs / 1000} s, restarted on the same port; maxBufferBytes 8 KiB, drop-newest`,
      amount: `${next} records of ~110 bytes, ${duringOutage} during the outage`,
      outcome: `${final.delivered} delivered + ${droppedCount} dropped (buffer-full, ${logger.drops.length} onDrop events) = ${next} sent; stats().dropped ${final.dropped}; at most ${maxBufferedRecords} records / ${maxBuffered} bytes buffered (maxBufferBytes ${maxBufferBytes})`,
    });
  });
});

describe('token expiry mid-stream', () => {
  it('winston with iam: every token expires twice; renewed, nothing lost', async () => {
    const emulator = await startEmulator({
      tokens: [],
      iam: {
        tokenLifetimeMs: 3_600_000,
        users: [{ domainName: 'acme', userName: 'shipper', password: iamPassword }],
      },
    });
    emulators.push(emulator);
    const { token: _unused, ...connection } = emulator.clientOptions();
    const logger = winstonLogger(
      {
        ...connection,
        iam: {
          endpoint: emulator.url,
          domainName: 'acme',
          userName: 'shipper',
          password: iamPassword,
        },
        lingerMs: 20,
        maxBatchRecords: 25,
        retry: { baseDelayMs: 10, maxDelayMs: 100 },
      },
      transcript,
    );
    loggers.push(logger);
    const rounds = 3;
    const perRound = 200;
    for (let round = 0; round < rounds; round++) {
      if (round > 0) emulator.faults.expireTokens({ at: Date.now() });
      for (let index = 0; index < perRound; index++) logger.log(round * perRound + index);
      await emulator.waitForRecords((round + 1) * perRound);
    }
    const stats = logger.stats()!;
    loggers.splice(loggers.indexOf(logger), 1);
    await logger.end();

    const sent = rounds * perRound;
    const check = checkSequences(
      emulator.records().map((record) => record.content),
      sent,
    );
    expect(check).toEqual({ unique: sent, duplicates: 0, missing: [], strangers: [] });
    expect(emulator.stats().iamLogins).toBe(rounds);
    expect(stats.tokenRenewals).toBe(rounds - 1);
    const unauthorized = emulator.stats().byStatus[401] ?? 0;
    expect(unauthorized).toBeGreaterThanOrEqual(rounds - 1);
    expect(logger.drops).toEqual([]);
    recordFigure({
      area: 'recovery',
      scenario:
        'winston with iam (password login at the IAM stand-in): all tokens expired before rounds 2 and 3',
      amount: `${sent} records in ${rounds} rounds`,
      outcome: `${unauthorized} answers 401, ${emulator.stats().iamLogins} logins (${stats.tokenRenewals} renewals); ${check.unique}/${sent} delivered, 0 duplicates, 0 dropped`,
    });
  });
});
