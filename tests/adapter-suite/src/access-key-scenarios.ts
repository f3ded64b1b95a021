import type { Emulator, ReportApi } from '@logtank/emulator';
import { emulatorTest, killChildren, temporaryKey } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import type { AdapterDriver } from './adapter-driver.ts';
import { numberedSorted } from './numbered.ts';
import { linesStartingWith } from './output-lines.ts';
import { shutdownOutput } from './shutdown-output.ts';
import { expectKeysRotated, expectSignedOn } from './signing-expectations.ts';

// AK/SK credentials through the adapter against the emulator over HTTP:
// accessKey on each API, the HUAWEICLOUD_SDK_* variables (in a child app), an
// accessKeyProvider, the ECS/CCE agency's temporary keys rotating mid-run, a
// wrong secret (in a child app) and a clock off by more than the signature
// window.

const fastRetry = { retry: { baseDelayMs: 10, maxDelayMs: 50 } };

/** The shared AK/SK scenarios. */
export function describeAccessKeyScenarios(driver: AdapterDriver): void {
  const { app } = driver;
  /** The messages the emulator stored, sorted (batches may overtake each other). */
  const storedMessages = (emulator: Emulator) =>
    emulator
      .records()
      .map((record) => driver.messageOf(record.content))
      .sort();

  describe(`${driver.packageName}: AK/SK credentials`, () => {
    afterEach(async () => {
      killChildren();
      await driver.endLoggers();
    });

    emulatorTest.for([
      ['standard', {}],
      ['high-accuracy', { compression: 'gzip' }],
      ['batch', {}],
    ] as const)(
      'accessKey: delivers every record once on the %s API %j, each stored as access-key',
      async ([api, extra], { emulatorWith }) => {
        const emulator = await emulatorWith();
        const logger = await driver.startLogger({
          ...emulator.clientOptions({ credentials: 'access-key' }),
          api,
          ...extra,
          maxBatchRecords: 25,
          lingerMs: 20,
        });
        for (let index = 0; index < 120; index++) logger.info(`signed ${index}`);
        await logger.end();

        expect(storedMessages(emulator)).toEqual(numberedSorted('signed', 120));
        expectSignedOn(emulator, api);
        expect(emulator.stats().byCredential['access-key']).toBe(emulator.requests().length);
        expect(logger.errors).toEqual([]);
        expect(logger.drops).toEqual([]);
      },
    );

    emulatorTest.for([
      ['the standard API, a permanent key', {}, false],
      ['the standard API, a temporary key with HUAWEICLOUD_SDK_SECURITY_TOKEN', {}, true],
      [
        'the high-accuracy API with gzip, a permanent key',
        { api: 'high-accuracy', compression: 'gzip' },
        false,
      ],
      // The batch API signs with the region, which then comes from HUAWEICLOUD_SDK_REGION.
      ['the batch API, a permanent key', { api: 'batch' }, false],
    ] as const)(
      'the HUAWEICLOUD_SDK_* variables (no credential option): an app configured only by the environment delivers every record, signed: %s',
      async ([, apiOptions, temporary], { emulatorWith }) => {
        const emulator = await emulatorWith({ metadata: true });
        const options = emulator.clientOptions({ credentials: 'access-key' });
        const key: { id: string; secret: string; securityToken?: string } = temporary
          ? await temporaryKey(emulator)
          : emulator.accessKey;
        const run = await app.run({
          ending: 'end',
          records: 200,
          // Only the API and a short linger as options: every id and the key come from the environment.
          options: { ...apiOptions, lingerMs: 20 },
          environment: {
            LTS_ENDPOINT: options.endpoint,
            LTS_LOG_GROUP_ID: options.logGroupId,
            LTS_LOG_STREAM_ID: options.logStreamId,
            HUAWEICLOUD_SDK_AK: key.id,
            HUAWEICLOUD_SDK_SK: key.secret,
            ...(key.securityToken === undefined
              ? {}
              : { HUAWEICLOUD_SDK_SECURITY_TOKEN: key.securityToken }),
            HUAWEICLOUD_SDK_PROJECT_ID: options.projectId,
            HUAWEICLOUD_SDK_REGION: emulator.region,
          },
        });

        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toMatch(shutdownOutput(app));
        expect(run.stderr).toBe('');
        expect(storedMessages(emulator)).toEqual(numberedSorted('record', 200));
        const api: ReportApi = 'api' in apiOptions ? apiOptions.api : 'standard';
        expectSignedOn(emulator, api, temporary ? 'temporary-key' : 'access-key');
        expect(new Set(emulator.records().map((record) => record.projectId))).toEqual(
          new Set([options.projectId]),
        );
        expect(new Set(emulator.requests().map((request) => request.credential?.id))).toEqual(
          new Set([key.id]),
        );
      },
    );

    emulatorTest.for([
      ['an async function', true],
      ['a plain function', false],
    ] as const)(
      'accessKeyProvider (%s): asked once for many records, all delivered with its key',
      async ([, asynchronous], { emulatorWith }) => {
        const emulator = await emulatorWith();
        let calls = 0;
        const provide = () => {
          calls += 1;
          return { ...emulator.accessKey };
        };
        const logger = await driver.startLogger({
          ...emulator.clientOptions({ credentials: 'access-key' }),
          accessKey: undefined,
          accessKeyProvider: asynchronous ? async () => provide() : provide,
          maxBatchRecords: 40,
          lingerMs: 20,
        });
        for (let index = 0; index < 400; index++) logger.info(`provided ${index}`);
        // Where the adapter has a flush, the key is asked for again after it: it must not be.
        await logger.flush?.();
        for (let index = 400; index < 500; index++) logger.info(`provided ${index}`);
        await logger.end();

        expect(calls).toBe(1);
        expect(storedMessages(emulator)).toEqual(numberedSorted('provided', 500));
        expect(emulator.requests().length).toBeGreaterThanOrEqual(13);
        expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
          new Set(['access-key']),
        );
        if (logger.stats) expect(logger.stats().tokenRenewals).toBe(0);
        expect(logger.errors).toEqual([]);
        expect(logger.drops).toEqual([]);
      },
    );

    emulatorTest(
      'ecsMetadata (the ECS/CCE agency), keys expiring mid-run: a new temporary key is fetched and every record is delivered exactly once',
      async ({ emulatorWith }) => {
        const emulator = await emulatorWith({ metadata: true });
        const logger = await driver.startLogger({
          ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
          ...fastRetry,
          maxBatchRecords: 20,
          lingerMs: 20,
        });
        for (let index = 0; index < 100; index++) logger.info(`rotating ${index}`);
        await emulator.waitForRecords(100, { timeoutMs: 5000 });
        emulator.metadata!.expireKeys();
        for (let index = 100; index < 200; index++) logger.info(`rotating ${index}`);
        await logger.end();

        expect(emulator.records()).toHaveLength(200);
        expect(storedMessages(emulator)).toEqual(numberedSorted('rotating', 200));
        expectKeysRotated(emulator);
        if (logger.stats) {
          expect(logger.stats()).toMatchObject({ sent: 200, delivered: 200, dropped: 0 });
          expect(logger.stats().tokenRenewals).toBeGreaterThanOrEqual(1);
        }
        // The expired key was refused and the client went on with a fresh one.
        expect(logger.errors.length).toBeGreaterThan(0);
        for (const error of logger.errors) {
          expect(error).toMatchObject({ name: 'LtsDeliveryError', status: 401 });
        }
        expect(logger.drops).toEqual([]);
      },
    );

    emulatorTest(
      'a wrong secret is refused (401) with one request per batch, the records reported dropped, and no secret printed even with NODE_DEBUG',
      async ({ emulatorWith }) => {
        const emulator = await emulatorWith();
        const rightSecret = emulator.accessKey.secret;
        const wrongSecret = `${rightSecret.slice(0, -6)}Wrong1`;
        const run = await app.run({
          ending: 'end',
          records: 100,
          // No listener, no onError/onDrop: the default reporting runs. A long
          // linger: only full batches are sent before the shutdown.
          options: {
            ...emulator.clientOptions({ credentials: 'access-key' }),
            accessKey: { id: emulator.accessKey.id, secret: wrongSecret },
            maxBatchRecords: 25,
            lingerMs: 60_000,
          },
          environment: { NODE_DEBUG: 'http,net,undici' },
        });

        expect(run.code, run.stderr.slice(-2000)).toBe(0);
        expect(run.stdout).toMatch(shutdownOutput(app));
        expect(emulator.records()).toEqual([]);
        // A static key cannot be renewed: 4 batches, 4 requests, no retries.
        expect(emulator.requests().map((request) => request.status)).toEqual([401, 401, 401, 401]);
        expect(emulator.stats().signatureFailures).toBe(4);
        expect(run.stderr).toMatch(/Warning: logtank: dropped 25 record\(s\) \(unauthorized\)/);
        expect(linesStartingWith(run.stderr, '[logtank unauthorized] ')).toHaveLength(100);
        const output = run.stdout + run.stderr;
        expect(output).not.toContain(wrongSecret);
        expect(output).not.toContain(rightSecret);
        // The two share all but their last characters: no part of either shows.
        expect(output).not.toContain(rightSecret.slice(0, 16));
        expect(output).not.toContain(rightSecret.slice(12, 28));
      },
    );

    emulatorTest(
      'a clock off by more than 15 minutes: the drop says the clock is off and the signature window',
      async ({ emulatorWith }) => {
        const twentyMinutesNs = 20n * 60n * 1_000_000_000n;
        const emulator = await emulatorWith({
          now: () => BigInt(Date.now()) * 1_000_000n + twentyMinutesNs,
        });
        const logger = await driver.startLogger({
          ...emulator.clientOptions({ credentials: 'access-key' }),
          // The record is reported to the listener; stderr stays clean.
          fallback: 'none',
        });
        logger.info('from a host with a slow clock');
        await logger.end();

        expect(emulator.records()).toEqual([]);
        expect(logger.drops.map((event) => event.reason)).toEqual(['unauthorized']);
        expect(logger.drops[0]!.message).toMatch(/clock/);
        expect(logger.drops[0]!.message).toMatch(/X-Sdk-Date|15 ?-?minute/);
        expect(logger.errors[0]!.message).toMatch(/signature expired.*15-minute window/);
      },
    );
  });
}
