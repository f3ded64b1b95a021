import { type Emulator, startEmulator } from '@logtank/emulator';
import { LtsDeliveryError, LtsDropWarning } from '@logtank/winston';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { byTime, endAllLoggers, endLogger, ltsLogger } from './winston-harness.ts';

let emulator: Emulator;

beforeEach(async () => {
  // tokens: [] makes the emulator refuse every token but its own.
  emulator = await startEmulator({ tokens: [] });
});

afterEach(async () => {
  await endAllLoggers();
  vi.restoreAllMocks();
  await emulator.stop();
});

const fastRetry = { retry: { baseDelayMs: 10, maxDelayMs: 50 } };

function messagesInTimeOrder(): string[] {
  return byTime(emulator.records()).map((record) => JSON.parse(record.content).message);
}

describe('delivery faults', () => {
  it('delivers everything exactly once, in order, through 5xx answers and dropped connections', async () => {
    emulator.faults.enqueue(
      { status: 503 },
      { status: 500 },
      { drop: 'before-body' },
      { status: 502 },
      { drop: 'before-body' },
      { status: 503 },
    );
    const { logger, transport } = ltsLogger({
      ...emulator.clientOptions(),
      ...fastRetry,
      maxBatchRecords: 25,
    });
    const warnings: Error[] = [];
    transport.on('warn', (warning: Error) => warnings.push(warning));
    for (let index = 0; index < 200; index++) logger.info(`event ${index}`);
    await endLogger(logger);

    expect(messagesInTimeOrder()).toEqual(
      Array.from({ length: 200 }, (_, index) => `event ${index}`),
    );
    const statuses = emulator.requests().map((request) => request.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(8);
    expect(statuses.length).toBeGreaterThanOrEqual(8 + 4);
    // Every failed attempt was a warning; none was a drop.
    expect(warnings.length).toBeGreaterThanOrEqual(6);
    expect(warnings.every((warning) => warning instanceof LtsDeliveryError)).toBe(true);
    expect(transport.client.stats()).toMatchObject({ sent: 200, delivered: 200, dropped: 0 });
  });

  it('a rejected token: one request, warn events (never error), the app goes on, the token never shown', async () => {
    const token = `rejected-${'y'.repeat(1200)}`;
    const { logger, transport } = ltsLogger({ ...emulator.clientOptions(), token });
    const warnings: Error[] = [];
    const errors: Error[] = [];
    logger.on('warn', (warning: Error) => warnings.push(warning));
    logger.on('error', (error: Error) => errors.push(error));
    transport.on('error', (error: Error) => errors.push(error));
    for (let index = 0; index < 30; index++) logger.info(`event ${index}`);
    await endLogger(logger);

    expect(emulator.records()).toEqual([]);
    expect(emulator.requests().map((request) => request.status)).toEqual([401]);
    expect(errors).toEqual([]);
    expect(warnings[0]).toBeInstanceOf(LtsDeliveryError);
    expect(warnings[0]).toMatchObject({ status: 401 });
    const drop = warnings.find((warning) => warning instanceof LtsDropWarning);
    expect(drop).toMatchObject({
      event: { reason: 'unauthorized', count: 30, contents: expect.any(Array) },
    });
    expect((drop as LtsDropWarning).event.contents).toHaveLength(30);
    for (const warning of warnings) {
      expect(warning.message).not.toContain(token.slice(0, 40));
      expect(JSON.stringify({ ...warning })).not.toContain(token.slice(0, 40));
    }
  });
});

describe('where problems go', () => {
  it("to the logger's warn listeners, not process warnings, when the app listens on the logger", async () => {
    const processWarnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { logger, transport } = ltsLogger({ ...emulator.clientOptions(), token: 'refused' });
    const onLogger: Array<[string, unknown]> = [];
    logger.on('warn', (warning: Error, source: unknown) => onLogger.push([warning.name, source]));
    logger.info('refused');
    await endLogger(logger);
    expect(onLogger).toEqual([
      ['LtsDeliveryError', transport],
      ['LtsDropWarning', transport],
    ]);
    expect(processWarnings).not.toHaveBeenCalled();
  });

  it('to throttled process warnings when nobody listens for warn (winston forwarding alone does not count)', async () => {
    const processWarnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { logger } = ltsLogger({ ...emulator.clientOptions(), token: 'refused' });
    logger.info('refused');
    await endLogger(logger);
    expect(processWarnings.mock.calls.map(([message, options]) => [message, options])).toEqual([
      [
        expect.stringMatching(/^logtank: LTS request with 1 records failed .*HTTP 401/),
        { code: 'LOGTANK_DELIVERY' },
      ],
      [
        expect.stringMatching(/^logtank: dropped 1 record\(s\) \(unauthorized\)/),
        { code: 'LOGTANK_DROP' },
      ],
    ]);
    // The record itself goes to stderr (core's fallback), so it is not lost silently.
    expect(stderr.mock.calls.map(([chunk]) => String(chunk))).toEqual([
      '[logtank unauthorized] {"level":"info","message":"refused"}\n',
    ]);
  });

  it("to the app's own onError/onDrop when given, and then not to stderr", async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const onError = vi.fn();
    const onDrop = vi.fn();
    const { logger, transport } = ltsLogger({
      ...emulator.clientOptions(),
      token: 'refused',
      onError,
      onDrop,
    });
    const warnings = vi.fn();
    transport.on('warn', warnings);
    logger.info('refused');
    await endLogger(logger);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ status: 401 }));
    expect(onDrop).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'unauthorized', count: 1 }),
    );
    expect(warnings).not.toHaveBeenCalled();
    expect(stderr.mock.calls.map(([chunk]) => String(chunk)).join('')).not.toContain('refused');
  });
});
