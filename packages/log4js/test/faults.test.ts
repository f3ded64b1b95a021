import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureLts, log4js, shutdownLog4js } from './log4js-harness.ts';

let emulator: Emulator;

beforeEach(async () => {
  // tokens: [] makes the emulator refuse every token but its own.
  emulator = await startEmulator({ tokens: [] });
});

afterEach(async () => {
  await shutdownLog4js();
  vi.restoreAllMocks();
  await emulator.stop();
});

const fastRetry = { retry: { baseDelayMs: 10, maxDelayMs: 50 } };

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
    const onDrop = vi.fn();
    configureLts({
      ...emulator.clientOptions(),
      ...fastRetry,
      maxBatchRecords: 25,
      onDrop,
      onError: () => {},
    });
    const logger = log4js.getLogger('flaky');
    for (let index = 0; index < 200; index++) logger.info('event %d', index);
    expect(await shutdownLog4js()).toBeUndefined();

    expect(onDrop).not.toHaveBeenCalled();
    const messages = [...emulator.records()]
      .sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0))
      .map((record) => JSON.parse(record.content).message);
    expect(messages).toEqual(Array.from({ length: 200 }, (_, index) => `event ${index}`));
    const statuses = emulator.requests().map((request) => request.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(8);
    expect(statuses.length).toBeGreaterThanOrEqual(8 + 4);
  });

  it('delivers everything after a connection dropped once LTS had stored the batch (that batch twice, as LTS would)', async () => {
    emulator.faults.enqueue({ drop: 'after-body' });
    const onDrop = vi.fn();
    configureLts({
      ...emulator.clientOptions(),
      ...fastRetry,
      maxBatchRecords: 25,
      onDrop,
      onError: () => {},
    });
    const logger = log4js.getLogger('flaky');
    for (let index = 0; index < 100; index++) logger.info('event %d', index);
    expect(await shutdownLog4js()).toBeUndefined();

    expect(onDrop).not.toHaveBeenCalled();
    const messages = emulator.records().map((record) => JSON.parse(record.content).message);
    // No answer means the client cannot know it was stored: it resends, so that one batch is stored twice.
    expect(emulator.stats().storedWithoutResponse).toBe(25);
    expect(messages).toHaveLength(125);
    expect(new Set(messages)).toEqual(
      new Set(Array.from({ length: 100 }, (_, index) => `event ${index}`)),
    );
  });

  it("passes failures to the app's own onError/onDrop instead of stderr", async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const onError = vi.fn();
    const onDrop = vi.fn();
    configureLts({ ...emulator.clientOptions(), token: 'not-the-right-token', onError, onDrop });
    log4js.getLogger('auth').info('will be refused');
    await shutdownLog4js();

    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ status: 401 }));
    expect(onDrop).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'unauthorized', count: 1 }),
    );
    expect(stderr.mock.calls.map(([chunk]) => String(chunk)).join('')).not.toContain(
      '@logtank/log4js',
    );
  });
});
