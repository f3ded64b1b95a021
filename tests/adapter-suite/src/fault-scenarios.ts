import { LtsDeliveryError } from '@logtank/core';
import { byTime, emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect, vi } from 'vitest';
import type { AdapterDriver } from './adapter-driver.ts';
import { numbered } from './numbered.ts';

// LTS failing while an in-process logger of the adapter delivers: retried
// answers, a connection dropped after LTS stored the batch, and a refusal
// reported to the app's own callbacks.

const fastRetry = { retry: { baseDelayMs: 10, maxDelayMs: 50 } };

/** The shared scenarios of LTS failing under an in-process logger. */
export function describeFaultScenarios(driver: AdapterDriver): void {
  describe(`${driver.packageName}: delivery faults`, () => {
    // tokens: [] makes the emulator refuse every token but its own.
    emulatorTest.override({ emulatorOptions: { tokens: [] } });
    afterEach(async () => {
      await driver.endLoggers();
      vi.restoreAllMocks();
    });

    emulatorTest(
      'delivers everything exactly once, in order, through 5xx answers and dropped connections',
      async ({ emulator }) => {
        emulator.faults.enqueue(
          { status: 503 },
          { status: 500 },
          { drop: 'before-body' },
          { status: 502 },
          { drop: 'before-body' },
          { status: 503 },
        );
        const logger = await driver.startLogger({
          ...emulator.clientOptions(),
          ...fastRetry,
          maxBatchRecords: 25,
        });
        for (let index = 0; index < 200; index++) logger.info(`event ${index}`);
        await logger.end();

        expect(
          byTime(emulator.records()).map((record) => driver.messageOf(record.content)),
        ).toEqual(numbered('event', 200));
        const statuses = emulator.requests().map((request) => request.status);
        expect(statuses.filter((status) => status === 200)).toHaveLength(8);
        expect(statuses.length).toBeGreaterThanOrEqual(8 + 4);
        // Every failed attempt was reported as an error; none was a drop.
        expect(logger.errors.length).toBeGreaterThanOrEqual(6);
        expect(logger.errors.every((error) => error instanceof LtsDeliveryError)).toBe(true);
        expect(logger.drops).toEqual([]);
        if (logger.stats) {
          expect(logger.stats()).toMatchObject({ sent: 200, delivered: 200, dropped: 0 });
        }
      },
    );

    emulatorTest(
      'delivers everything after a connection dropped once LTS had stored the batch (that batch twice, as LTS would)',
      async ({ emulator }) => {
        emulator.faults.enqueue({ drop: 'after-body' });
        const logger = await driver.startLogger({
          ...emulator.clientOptions(),
          ...fastRetry,
          maxBatchRecords: 25,
        });
        for (let index = 0; index < 100; index++) logger.info(`event ${index}`);
        await logger.end();

        expect(logger.drops).toEqual([]);
        const messages = emulator.records().map((record) => driver.messageOf(record.content));
        // No answer means the client cannot know it was stored: it resends, so that one batch is stored twice.
        expect(emulator.stats().storedWithoutResponse).toBe(25);
        expect(messages).toHaveLength(125);
        expect(new Set(messages)).toEqual(new Set(numbered('event', 100)));
      },
    );

    emulatorTest(
      "passes failures to the app's own onError/onDrop, and then neither to the adapter's other channels nor to stderr",
      async ({ emulator }) => {
        const stderr = vi.spyOn(process.stderr, 'write');
        const onError = vi.fn();
        const onDrop = vi.fn();
        const logger = await driver.startLogger({
          ...emulator.clientOptions(),
          token: 'refused',
          onError,
          onDrop,
        });
        logger.info('refused');
        await logger.end();

        expect(onError).toHaveBeenCalledWith(expect.objectContaining({ status: 401 }));
        expect(onDrop).toHaveBeenCalledWith(
          expect.objectContaining({ reason: 'unauthorized', count: 1 }),
        );
        // winston's 'warn' events stay silent when the app brings its callbacks.
        expect(logger.errors).toEqual([]);
        expect(logger.drops).toEqual([]);
        const written = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
        expect(written).not.toContain('refused');
        expect(written).not.toContain(driver.packageName);
      },
    );
  });
}
