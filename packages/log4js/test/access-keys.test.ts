import type { DropEvent } from '@logtank/core';
import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { configureLts, log4js, shutdownLog4js } from './log4js-harness.ts';
import { killFixtures, runFixture } from './run-fixture.ts';

// AK/SK credentials through the real log4js against the emulator over HTTP:
// accessKey on each API, the HUAWEICLOUD_SDK_* variables, an accessKeyProvider,
// the ECS/CCE agency's temporary keys rotating mid-run, a wrong secret and a
// clock off by more than the signature window.

const emulators: Emulator[] = [];

afterEach(async () => {
  killFixtures();
  await shutdownLog4js();
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  emulators.push(emulator);
  return emulator;
}

/** `prefix 0` … `prefix count-1`, sorted (batches may overtake each other). */
function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index}`).sort();
}

/** The log4js messages the emulator stored, sorted. */
function storedMessages(emulator: Emulator): string[] {
  return emulator
    .records()
    .map((record) => JSON.parse(record.content).message as string)
    .sort();
}

/** onError/onDrop that collect what the appender reports. */
function collectors() {
  const errors: Error[] = [];
  const drops: DropEvent[] = [];
  return {
    errors,
    drops,
    callbacks: {
      onError: (error: Error) => errors.push(error),
      onDrop: (event: DropEvent) => drops.push(event),
    },
  };
}

/** A temporary key (with its security token) from the emulator's metadata stand-in, as an agency hands it out. */
async function temporaryKey(
  emulator: Emulator,
): Promise<{ id: string; secret: string; securityToken: string }> {
  const tokenResponse = await fetch(`${emulator.metadataUrl}/meta-data/latest/api/token`, {
    method: 'PUT',
    headers: { 'x-metadata-token-ttl-seconds': '600' },
  });
  const response = await fetch(`${emulator.metadataUrl}/openstack/latest/securitykey`, {
    headers: { 'x-metadata-token': await tokenResponse.text() },
  });
  const { credential } = (await response.json()) as {
    credential: { access: string; secret: string; securitytoken: string };
  };
  return {
    id: credential.access,
    secret: credential.secret,
    securityToken: credential.securitytoken,
  };
}

describe('accessKey (AK/SK signing), in-process', () => {
  it.each([
    ['standard', {}, 'SDK-HMAC-SHA256'],
    ['high-accuracy', { compression: 'gzip' }, 'SDK-HMAC-SHA256'],
    ['batch', {}, 'V11-HMAC-SHA256'],
  ] as const)(
    'delivers every event once on the %s API %j, each stored as access-key',
    async (api, extra, algorithm) => {
      const emulator = await emulatorWith();
      const { errors, drops, callbacks } = collectors();
      configureLts({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        api,
        ...extra,
        maxBatchRecords: 25,
        lingerMs: 20,
        ...callbacks,
      });
      const logger = log4js.getLogger('signed');
      for (let index = 0; index < 120; index++) logger.info('signed %d', index);
      expect(await shutdownLog4js()).toBeUndefined();

      expect(storedMessages(emulator)).toEqual(numbered('signed', 120));
      const records = emulator.records();
      expect(new Set(records.map((record) => record.credential))).toEqual(new Set(['access-key']));
      expect(new Set(records.map((record) => record.api))).toEqual(new Set([api]));
      expect(new Set(emulator.requests().map((request) => request.credential?.algorithm))).toEqual(
        new Set([algorithm]),
      );
      expect(errors).toEqual([]);
      expect(drops).toEqual([]);
    },
  );
});

describe('the HUAWEICLOUD_SDK_* variables (no credential option)', () => {
  it.each([
    ['a permanent key', false],
    ['a temporary key with HUAWEICLOUD_SDK_SECURITY_TOKEN', true],
  ] as const)(
    'a CommonJS app configured only by the environment delivers every event, signed: %s',
    async (_, temporary) => {
      const emulator = await emulatorWith({ metadata: true });
      const options = emulator.clientOptions({ credentials: 'access-key' });
      const key: { id: string; secret: string; securityToken?: string } = temporary
        ? await temporaryKey(emulator)
        : emulator.accessKey;
      const run = await runFixture('app.cjs', {
        SCENARIO: 'shutdown',
        RECORDS: '150',
        APPENDER_OPTIONS: JSON.stringify({ lingerMs: 20 }),
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
      });

      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^shutdown-callback \d+ ok\n$/);
      expect(run.stderr).toBe('');
      expect(storedMessages(emulator)).toEqual(numbered('record', 150));
      expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
        new Set([temporary ? 'temporary-key' : 'access-key']),
      );
      expect(new Set(emulator.requests().map((request) => request.credential?.id))).toEqual(
        new Set([key.id]),
      );
    },
  );
});

describe('accessKeyProvider, in-process', () => {
  it('is asked once for many events, all delivered with its key', async () => {
    const emulator = await emulatorWith();
    const { errors, drops, callbacks } = collectors();
    let calls = 0;
    configureLts({
      ...emulator.clientOptions({ credentials: 'access-key' }),
      accessKey: undefined,
      accessKeyProvider: () => {
        calls += 1;
        return { ...emulator.accessKey };
      },
      maxBatchRecords: 40,
      lingerMs: 20,
      ...callbacks,
    });
    const logger = log4js.getLogger('provided');
    for (let index = 0; index < 500; index++) logger.info('provided %d', index);
    expect(await shutdownLog4js()).toBeUndefined();

    expect(calls).toBe(1);
    expect(storedMessages(emulator)).toEqual(numbered('provided', 500));
    expect(emulator.requests().length).toBeGreaterThanOrEqual(13);
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['access-key']),
    );
    expect(errors).toEqual([]);
    expect(drops).toEqual([]);
  });
});

describe('ecsMetadata (the ECS/CCE agency), in-process', () => {
  it('keys expiring mid-run: a new temporary key is fetched and every event is delivered exactly once', async () => {
    const emulator = await emulatorWith({ metadata: true });
    const { errors, drops, callbacks } = collectors();
    configureLts({
      ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      maxBatchRecords: 20,
      lingerMs: 20,
      ...callbacks,
    });
    const logger = log4js.getLogger('rotating');
    for (let index = 0; index < 100; index++) logger.info('rotating %d', index);
    await emulator.waitForRecords(100, { timeoutMs: 5000 });
    emulator.metadata!.expireKeys();
    for (let index = 100; index < 200; index++) logger.info('rotating %d', index);
    expect(await shutdownLog4js()).toBeUndefined();

    expect(emulator.records()).toHaveLength(200);
    expect(storedMessages(emulator)).toEqual(numbered('rotating', 200));
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['temporary-key']),
    );
    expect(emulator.metadata!.issuedKeys()).toBeGreaterThan(1);
    const keysUsed = new Set(
      emulator
        .requests()
        .filter((request) => request.status === 200)
        .map((request) => request.credential?.id),
    );
    expect(keysUsed.size).toBeGreaterThan(1);
    // The expired key was refused and the client went on with a fresh one. (By name: log4js
    // requires the CommonJS build, so its classes are not the ones imported here.)
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error).toMatchObject({ name: 'LtsDeliveryError', status: 401 });
    }
    expect(drops).toEqual([]);
  });
});

describe('a wrong secret', () => {
  it('is refused (401) with one request per batch, the events reported dropped, and no secret printed even with NODE_DEBUG', async () => {
    const emulator = await emulatorWith();
    const rightSecret = emulator.accessKey.secret;
    const wrongSecret = `${rightSecret.slice(0, -6)}Wrong1`;
    const run = await runFixture('app.cjs', {
      SCENARIO: 'shutdown',
      RECORDS: '100',
      // No onError/onDrop: core's default reporting runs.
      APPENDER_OPTIONS: JSON.stringify({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: { id: emulator.accessKey.id, secret: wrongSecret },
        maxBatchRecords: 25,
      }),
      NODE_DEBUG: 'http,net,undici',
    });

    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(run.stdout).toMatch(/^shutdown-callback \d+ ok\n$/);
    expect(emulator.records()).toEqual([]);
    // A static key cannot be renewed: 4 batches, 4 requests, no retries.
    expect(emulator.requests().map((request) => request.status)).toEqual([401, 401, 401, 401]);
    expect(emulator.stats().signatureFailures).toBe(4);
    expect(run.stderr).toMatch(/Warning: logtank: dropped 25 record\(s\) \(unauthorized\)/);
    expect(
      run.stderr.split('\n').filter((line) => line.startsWith('[logtank unauthorized] ')),
    ).toHaveLength(100);
    const output = run.stdout + run.stderr;
    expect(output).not.toContain(wrongSecret);
    expect(output).not.toContain(rightSecret);
    // The two share all but their last characters: no part of either shows.
    expect(output).not.toContain(rightSecret.slice(0, 16));
    expect(output).not.toContain(rightSecret.slice(12, 28));
  });
});

describe('a clock off by more than 15 minutes', () => {
  it('the drop says the clock is off and the signature window', async () => {
    const twentyMinutesNs = 20n * 60n * 1_000_000_000n;
    const emulator = await emulatorWith({
      now: () => BigInt(Date.now()) * 1_000_000n + twentyMinutesNs,
    });
    const { errors, drops, callbacks } = collectors();
    configureLts({ ...emulator.clientOptions({ credentials: 'access-key' }), ...callbacks });
    log4js.getLogger('skewed').info('from a host with a slow clock');
    expect(await shutdownLog4js()).toBeUndefined();

    expect(emulator.records()).toEqual([]);
    expect(drops.map((event) => event.reason)).toEqual(['unauthorized']);
    expect(drops[0]!.message).toMatch(/clock/);
    expect(drops[0]!.message).toMatch(/X-Sdk-Date|15 ?-?minute/);
    expect(errors[0]!.message).toMatch(/signature expired.*15-minute window/);
  });
});
