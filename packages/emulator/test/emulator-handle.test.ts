import { createRequire } from 'node:module';
import {
  bodyForStatus,
  type Emulator,
  type EmulatorOptions,
  type RequestLogEntry,
  responseBodies,
  sampleIds,
  startEmulator,
  version,
} from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { failureOf, postReport, standardBody } from './report-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

describe('the emulator handle', () => {
  it('clientOptions() points a client here, with overrides', async () => {
    emulator = await startEmulator();
    expect(emulator.clientOptions()).toEqual({
      endpoint: emulator.url,
      projectId: sampleIds.projectId,
      logGroupId: sampleIds.logGroupId,
      logStreamId: sampleIds.logStreamId,
      token: emulator.token,
    });
    expect(emulator.clientOptions({ token: 'other' }).token).toBe('other');
    expect(emulator.ids).toBe(sampleIds);
    expect(sampleIds.projectId).toHaveLength(32);
    expect(sampleIds.logGroupId).toHaveLength(36);
    expect(sampleIds.logStreamId).toHaveLength(36);
  });

  it('listens on the given port and host', async () => {
    const first = await startEmulator();
    const port = Number(new URL(first.url).port);
    await first.stop();
    emulator = await startEmulator({ port, host: '127.0.0.1' });
    expect(emulator.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('calls onRequest once per answered request', async () => {
    const seen: RequestLogEntry[] = [];
    emulator = await startEmulator({ onRequest: (entry) => seen.push(entry) });
    await postReport(emulator, { body: standardBody(['a']) });
    await postReport(emulator, { token: null });
    expect(seen.map((entry) => [entry.route, entry.status, entry.records])).toEqual([
      ['report', 200, 1],
      ['report', 401, 0],
    ]);
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[1]!.error).toBe('X-Auth-Token is missing.');
  });

  it('stop() closes the port and is idempotent', async () => {
    emulator = await startEmulator();
    await Promise.all([emulator.stop(), emulator.stop()]);
    await emulator.stop();
    expect(await failureOf(postReport(emulator))).toBe('ECONNREFUSED');
  });

  it.each([
    [{ maxStoredRecords: 0 }, /maxStoredRecords/],
    [{ iam: { tokenLifetimeMs: -1 } }, /iam\.tokenLifetimeMs/],
    // Found by a new user: a misspelt option was ignored.
    [
      { regoin: 'x' },
      /^startEmulator: unknown option regoin \(did you mean region\?\); the options are port, host, /,
    ],
    [
      { metadata: { keyLifetime: 1000 } },
      /unknown option metadata\.keyLifetime \(did you mean metadata\.keyLifetimeMs\?\); the options of metadata are keyLifetimeMs, /,
    ],
  ])('refuses bad options %j naming them', async (options, message) => {
    await expect(startEmulator(options as EmulatorOptions)).rejects.toThrow(message);
  });

  it('exports the documented bodies and its version', () => {
    expect(responseBodies.success).toEqual({
      errorCode: 'SVCSTG.ALS.200.200',
      error_msg: 'Report success.',
      result: null,
    });
    expect(bodyForStatus(503)).toEqual({ result: expect.any(String) });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('loads with require (CommonJS) too', () => {
    const required = createRequire(import.meta.url)('@logtank/emulator') as {
      startEmulator: unknown;
    };
    expect(typeof required.startEmulator).toBe('function');
  });
});
