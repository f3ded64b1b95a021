import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { type DropEvent, LtsDropWarning } from '@logtank/winston';
import { afterEach, describe, expect, it } from 'vitest';
import { killFixtures, runFixture } from './run-fixture.ts';
import { endAllLoggers, endLogger, ltsLogger } from './winston-harness.ts';

// AK/SK credentials through the real winston against the emulator over HTTP:
// accessKey on each API, the HUAWEICLOUD_SDK_* variables, an accessKeyProvider,
// the ECS/CCE agency's temporary keys rotating mid-run, a wrong secret and a
// clock off by more than the signature window.

const emulators: Emulator[] = [];

afterEach(async () => {
  killFixtures();
  await endAllLoggers();
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
});

async function emulatorWith(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  emulators.push(emulator);
  return emulator;
}

const fastRetry = { retry: { baseDelayMs: 10, maxDelayMs: 50 } };

/** `count` messages `prefix 0` … `prefix count-1`, sorted (batches may overtake each other). */
function numbered(prefix: string, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${from + index}`);
}

/** The winston messages the emulator stored, sorted. */
function storedMessages(emulator: Emulator): string[] {
  return emulator
    .records()
    .map((record) => JSON.parse(record.content).message as string)
    .sort();
}

/** The warnings a transport emits, split into delivery errors and drop events. */
function collectWarnings(transport: NodeJS.EventEmitter): { errors: Error[]; drops: DropEvent[] } {
  const errors: Error[] = [];
  const drops: DropEvent[] = [];
  transport.on('warn', (warning: Error) => {
    if (warning instanceof LtsDropWarning) drops.push(warning.event);
    else errors.push(warning);
  });
  return { errors, drops };
}

describe('accessKey (AK/SK signing), in-process', () => {
  it.each([
    ['standard', {}, 'SDK-HMAC-SHA256'],
    ['high-accuracy', { compression: 'gzip' }, 'SDK-HMAC-SHA256'],
    ['batch', {}, 'V11-HMAC-SHA256'],
  ] as const)(
    'delivers every record once on the %s API %j, each stored as access-key',
    async (api, extra, algorithm) => {
      const emulator = await emulatorWith();
      const { logger, transport } = ltsLogger({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        api,
        ...extra,
        maxBatchRecords: 25,
        lingerMs: 20,
      });
      const { errors, drops } = collectWarnings(transport);
      for (let index = 0; index < 120; index++) logger.info(`signed ${index}`);
      await endLogger(logger);

      expect(storedMessages(emulator)).toEqual(numbered('signed', 120).sort());
      const records = emulator.records();
      expect(new Set(records.map((record) => record.credential))).toEqual(new Set(['access-key']));
      expect(new Set(records.map((record) => record.api))).toEqual(new Set([api]));
      expect(new Set(emulator.requests().map((request) => request.credential?.algorithm))).toEqual(
        new Set([algorithm]),
      );
      expect(emulator.stats().byCredential['access-key']).toBe(emulator.requests().length);
      expect(errors).toEqual([]);
      expect(drops).toEqual([]);
    },
  );
});

describe('the HUAWEICLOUD_SDK_* variables (no credential option)', () => {
  it('a child app configured only by the environment delivers every record, signed (the batch API, so the region comes from HUAWEICLOUD_SDK_REGION)', async () => {
    const emulator = await emulatorWith();
    const options = emulator.clientOptions({ credentials: 'access-key' });
    const run = await runFixture('app.mjs', {
      SCENARIO: 'end',
      RECORDS: '150',
      // Only the API and a short linger as options: every id and the key come from the environment.
      TRANSPORT_OPTIONS: JSON.stringify({ api: 'batch', lingerMs: 20 }),
      LTS_ENDPOINT: options.endpoint,
      LTS_LOG_GROUP_ID: options.logGroupId,
      LTS_LOG_STREAM_ID: options.logStreamId,
      HUAWEICLOUD_SDK_AK: emulator.accessKey.id,
      HUAWEICLOUD_SDK_SK: emulator.accessKey.secret,
      HUAWEICLOUD_SDK_PROJECT_ID: options.projectId,
      HUAWEICLOUD_SDK_REGION: emulator.region,
    });

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(storedMessages(emulator)).toEqual(numbered('record', 150).sort());
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['access-key']),
    );
    expect(new Set(emulator.records().map((record) => record.projectId))).toEqual(
      new Set([options.projectId]),
    );
    expect(
      emulator.requests().every((request) => request.credential?.id === emulator.accessKey.id),
    ).toBe(true);
    expect(new Set(emulator.requests().map((request) => request.credential?.algorithm))).toEqual(
      new Set(['V11-HMAC-SHA256']),
    );
  });
});

describe('accessKeyProvider, in-process', () => {
  it('is asked once for many records, all delivered with its key', async () => {
    const emulator = await emulatorWith();
    let calls = 0;
    const { logger, transport } = ltsLogger({
      ...emulator.clientOptions({ credentials: 'access-key' }),
      accessKey: undefined,
      accessKeyProvider: async () => {
        calls += 1;
        return { ...emulator.accessKey };
      },
      maxBatchRecords: 40,
      lingerMs: 20,
    });
    const { errors, drops } = collectWarnings(transport);
    for (let index = 0; index < 400; index++) logger.info(`provided ${index}`);
    await transport.client.flush();
    for (let index = 400; index < 500; index++) logger.info(`provided ${index}`);
    await endLogger(logger);

    expect(calls).toBe(1);
    expect(storedMessages(emulator)).toEqual(numbered('provided', 500).sort());
    expect(emulator.requests().length).toBeGreaterThanOrEqual(13);
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['access-key']),
    );
    expect(transport.client.stats().tokenRenewals).toBe(0);
    expect(errors).toEqual([]);
    expect(drops).toEqual([]);
  });
});

describe('ecsMetadata (the ECS/CCE agency), in-process', () => {
  it('keys expiring mid-run: a new temporary key is fetched and every record is delivered exactly once', async () => {
    const emulator = await emulatorWith({ metadata: true });
    const { logger, transport } = ltsLogger({
      ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
      ...fastRetry,
      maxBatchRecords: 20,
      lingerMs: 20,
    });
    const { drops } = collectWarnings(transport);
    for (let index = 0; index < 100; index++) logger.info(`rotating ${index}`);
    await emulator.waitForRecords(100, { timeoutMs: 5000 });
    emulator.metadata!.expireKeys();
    for (let index = 100; index < 200; index++) logger.info(`rotating ${index}`);
    await endLogger(logger);

    const messages = emulator.records().map((record) => JSON.parse(record.content).message);
    expect(messages).toHaveLength(200);
    expect([...messages].sort()).toEqual(numbered('rotating', 200).sort());
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
    expect(transport.client.stats()).toMatchObject({ sent: 200, delivered: 200, dropped: 0 });
    expect(transport.client.stats().tokenRenewals).toBeGreaterThanOrEqual(1);
    expect(drops).toEqual([]);
  });
});

describe('a wrong secret', () => {
  it('is refused (401) with one request per batch, the records reported dropped, and no secret printed even with NODE_DEBUG', async () => {
    const emulator = await emulatorWith();
    const rightSecret = emulator.accessKey.secret;
    const wrongSecret = `${rightSecret.slice(0, -6)}Wrong1`;
    const run = await runFixture('app.mjs', {
      SCENARIO: 'end',
      RECORDS: '100',
      // No warn listener, no onError/onDrop: the default reporting runs.
      TRANSPORT_OPTIONS: JSON.stringify({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: { id: emulator.accessKey.id, secret: wrongSecret },
        maxBatchRecords: 25,
      }),
      NODE_DEBUG: 'http,net,undici',
    });

    expect(run.code, run.stderr.slice(-2000)).toBe(0);
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
    const { logger, transport } = ltsLogger({
      ...emulator.clientOptions({ credentials: 'access-key' }),
      fallback: 'none',
    });
    const { errors, drops } = collectWarnings(transport);
    logger.info('from a host with a slow clock');
    await endLogger(logger);

    expect(emulator.records()).toEqual([]);
    expect(drops.map((event) => event.reason)).toEqual(['unauthorized']);
    expect(drops[0]!.message).toMatch(/clock/);
    expect(drops[0]!.message).toMatch(/X-Sdk-Date|15 ?-?minute/);
    expect(errors[0]!.message).toMatch(/signature expired.*15-minute window/);
  });
});
