import { gzipSync } from 'node:zlib';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  formatSdkDate,
  parseSdkDate,
  sdkCanonicalUri,
  v11CanonicalUri,
  v11DerivedKey,
} from '../src/signature.ts';
import { highAccuracyBody, postReport, standardBody } from './report-request.ts';
import {
  expectNoSecrets,
  gatewayBody,
  movableClock,
  type SignedReportRequest,
  signedReport,
} from './signed-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

const userKey = { id: 'TESTAK0123456789ABCD', secret: 'user-secret-key-0123456789abcdefghijklmn' };

describe('SDK-HMAC-SHA256 on the contents routes', () => {
  it('accepts a request signed with the sample key and records the credential', async () => {
    emulator = await startEmulator();
    expect(emulator.accessKey.id).toMatch(/^[A-Z0-9]{20}$/);
    expect(emulator.accessKey.secret).toHaveLength(40);
    const answer = await signedReport(emulator);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      errorCode: 'SVCSTG.ALS.200.200',
      error_msg: 'Report success.',
      result: null,
    });
    expect(emulator.records()).toMatchObject([
      { content: 'signed line', api: 'standard', credential: 'access-key' },
    ]);
    expect(emulator.requests()[0]).toMatchObject({
      status: 200,
      stored: true,
      credential: {
        kind: 'access-key',
        id: emulator.accessKey.id,
        algorithm: 'SDK-HMAC-SHA256',
      },
    });
    expect(emulator.requests()[0]!.tokenId).toBeUndefined();
    expectNoSecrets(emulator, answer, [emulator.accessKey.secret]);
  });

  it('accepts keys given in options, on both routes, gzip included, next to tokens', async () => {
    emulator = await startEmulator({ accessKeys: [userKey] });
    const base = BigInt(Date.now()) * 1_000_000n;
    const body = highAccuracyBody([
      { log: 'first', timeNs: base },
      { log: 'second', timeNs: base + 7n },
    ]);
    expect((await signedReport(emulator, { accessKey: userKey })).status).toBe(200);
    const gzip = await signedReport(emulator, {
      accessKey: userKey,
      api: 'high-accuracy',
      body,
      gzip: true,
    });
    expect(gzip.status).toBe(200);
    expect((await postReport(emulator, { body: standardBody(['by token']) })).status).toBe(200);
    expect(
      emulator.records().map((record) => [record.content, record.api, record.credential]),
    ).toEqual([
      ['signed line', 'standard', 'access-key'],
      ['first', 'high-accuracy', 'access-key'],
      ['second', 'high-accuracy', 'access-key'],
      ['by token', 'standard', 'token'],
    ]);
    expect(emulator.requests()[1]).toMatchObject({ compressed: true, status: 200 });
    expect(emulator.requests()[2]!.credential).toEqual({
      kind: 'token',
      id: emulator.requests()[2]!.tokenId,
    });
    expect(emulator.stats()).toMatchObject({
      byCredential: { token: 1, 'access-key': 2, 'temporary-key': 0 },
      signatureFailures: 0,
    });
    expectNoSecrets(emulator, gzip, [userKey.secret]);
  });

  it('signs the query and a trailing slash as the SDK does', async () => {
    emulator = await startEmulator();
    expect((await signedReport(emulator, { pathSuffix: '?b=2&a=x%20y&a=1' })).status).toBe(200);
    expect((await signedReport(emulator, { pathSuffix: '/' })).status).toBe(200);
  });

  const failures: Array<[string, () => SignedReportRequest, string | RegExp]> = [
    [
      'a wrong secret',
      () => ({ signingSecret: 'not-the-secret-key-000000000000000000000' }),
      'verify aksk signature fail',
    ],
    [
      'an unknown AK',
      () => ({ accessKey: { id: 'UNKNOWNAK00000000000', secret: userKey.secret } }),
      'Get secretKey failed,ak:UNKN****,err:ak not exist',
    ],
    ['an unsigned host', () => ({ unsigned: ['host'] }), /the host header must be signed/],
    ['an unsigned x-sdk-date', () => ({ unsigned: ['x-sdk-date'] }), /x-sdk-date header must be/],
    [
      'an unsigned x-project-id',
      () => ({ unsigned: ['x-project-id'] }),
      /the x-project-id header must be signed/,
    ],
    [
      'no x-project-id at all',
      () => ({ omit: ['x-project-id'] }),
      /the x-project-id header must be signed/,
    ],
    [
      'an X-Project-Id other than the path project',
      () => ({ headers: { 'x-project-id': 'f'.repeat(32) } }),
      /X-Project-Id f{32} is not the project_id of the path 2a473356/,
    ],
    ['no X-Sdk-Date', () => ({ omit: ['x-sdk-date'] }), 'the X-Sdk-Date header is missing'],
    [
      'a malformed X-Sdk-Date',
      () => ({ headers: { 'x-sdk-date': '2030-01-01T00:00:00Z' } }),
      'X-Sdk-Date must be YYYYMMDDTHHMMSSZ (UTC); got "2030-01-01T00:00:00Z"',
    ],
    [
      'a body altered after signing',
      () => ({
        body: standardBody(['signed'], { timeNs: BigInt(Date.now()) * 1_000_000n }),
        sentBody: standardBody(['altered'], { timeNs: BigInt(Date.now()) * 1_000_000n }),
      }),
      'verify aksk signature fail',
    ],
    [
      'an X-Sdk-Content-Sha256 that is not the body hash',
      () => ({ headers: { 'x-sdk-content-sha256': 'a'.repeat(64) } }),
      'X-Sdk-Content-Sha256 is not the SHA-256 of the body',
    ],
    [
      'a V11 signature on a contents route',
      () => ({ algorithm: 'V11-HMAC-SHA256' }),
      /V11-HMAC-SHA256 is accepted only on the batch-contents route/,
    ],
  ];

  it.each(failures)('answers 401 APIGW.0301 to %s', async (_name, build, message) => {
    emulator = await startEmulator({ accessKeys: [userKey] });
    const answer = await signedReport(emulator, build());
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(gatewayBody(message));
    expect(emulator.records()).toEqual([]);
    expect(emulator.requests()[0]).toMatchObject({ status: 401, stored: false });
    expect(emulator.stats()).toMatchObject({
      signatureFailures: 1,
      byCredential: { token: 0, 'access-key': 0, 'temporary-key': 0 },
    });
    expectNoSecrets(emulator, answer, [emulator.accessKey.secret, userKey.secret]);
  });

  it('answers 401 to a malformed Authorization header, and to another scheme without a token', async () => {
    emulator = await startEmulator();
    const path = `/v2/${emulator.ids.projectId}/lts/groups/${emulator.ids.logGroupId}/streams/${emulator.ids.logStreamId}/tenant/contents`;
    for (const authorization of ['SDK-HMAC-SHA256 Access=AK, Signature=abc', 'Bearer abc']) {
      const response = await fetch(`${emulator.url}${path}`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json;charset=UTF-8' },
        body: standardBody(['x']),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual(gatewayBody(/Authorization header must be/));
    }
  });

  it('refuses a signature more than 15 minutes from the emulator clock, either way', async () => {
    const clock = movableClock();
    emulator = await startEmulator({ now: clock.now });
    const at = (offsetMs: number) => new Date(clock.date().getTime() + offsetMs);
    const minute = 60_000;
    const body = standardBody(['x'], { timeNs: clock.now() });
    for (const offset of [-15 * minute, 15 * minute, -14 * minute]) {
      expect((await signedReport(emulator, { body, date: at(offset) })).status).toBe(200);
    }
    for (const offset of [-16 * minute, 16 * minute]) {
      const date = at(offset);
      const answer = await signedReport(emulator, { body, date });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(
        gatewayBody(
          `signature expired, signature time:${formatSdkDate(date)},server time:${formatSdkDate(clock.date())}`,
        ),
      );
    }
    expect(emulator.stats().signatureFailures).toBe(2);
  });

  it('signs the gzip bytes: a signature over the uncompressed body is refused', async () => {
    emulator = await startEmulator();
    const body = highAccuracyBody([{ log: 'zipped', timeNs: BigInt(Date.now()) * 1_000_000n }]);
    const signedPlain = await signedReport(emulator, {
      api: 'high-accuracy',
      body,
      headers: { 'content-encoding': 'gzip' },
      sentBody: gzipSync(body),
    });
    expect(signedPlain.status).toBe(401);
    expect(signedPlain.body).toEqual(gatewayBody('verify aksk signature fail'));
    expect((await signedReport(emulator, { api: 'high-accuracy', body, gzip: true })).status).toBe(
      200,
    );
  });

  it('keeps fault injection: a forced status answers a signed request first, credential logged', async () => {
    emulator = await startEmulator();
    emulator.faults.enqueue({ status: 503 }, { drop: 'after-body' });
    const forced = await signedReport(emulator);
    expect(forced.status).toBe(503);
    await expect(signedReport(emulator)).rejects.toThrow();
    expect((await signedReport(emulator)).status).toBe(200);
    const [first, second] = emulator.requests();
    expect(first).toMatchObject({
      status: 503,
      fault: 'status 503',
      credential: { kind: 'access-key', id: emulator.accessKey.id },
    });
    expect(second).toMatchObject({ status: 0, fault: 'drop after-body', stored: true });
    expect(emulator.records().map((record) => record.credential)).toEqual([
      'access-key',
      'access-key',
    ]);
  });
});

describe('the canonical forms', () => {
  it('SDK URI: each raw segment through encodeURIComponent, a trailing slash', () => {
    expect(sdkCanonicalUri('/v2/a b/c%41')).toBe('/v2/a%20b/c%2541/');
    expect(sdkCanonicalUri('/v2/x/')).toBe('/v2/x/');
  });

  it('V11 URI: the decoded path, every byte but unreserved escaped in uppercase hex', () => {
    expect(v11CanonicalUri('/v2/internal/a%20b/c%41~d')).toBe('/v2/internal/a%20b/cA~d/');
    expect(v11CanonicalUri('/v2/é')).toBe('/v2/%C3%A9/');
    expect(v11CanonicalUri('/v2/%2Fx')).toBe('/v2//x/');
  });

  it('query: sorted names, sorted repeated values, strict percent-encoding; empty without one', () => {
    expect(canonicalQuery('')).toBe('');
    expect(canonicalQuery('b=2&a=z&a=y&c')).toBe('a=y&a=z&b=2&c=');
    expect(canonicalQuery('k=a%20b*~')).toBe('k=a%20b%2A~');
    expect(canonicalQuery('k=%C3%A9')).toBe('k=%C3%A9');
  });

  it('X-Sdk-Date: YYYYMMDDTHHMMSSZ in UTC, impossible dates refused', () => {
    const date = new Date(Date.UTC(2023, 4, 27, 0, 4, 31));
    expect(formatSdkDate(date)).toBe('20230527T000431Z');
    expect(parseSdkDate('20230527T000431Z')).toBe(date.getTime());
    expect(parseSdkDate('20230230T000000Z')).toBeUndefined();
    expect(parseSdkDate('20230527T000431')).toBeUndefined();
  });

  it('V11 derived key: 64 hex characters of HKDF-SHA256(SK, salt AK, info)', () => {
    const key = v11DerivedKey('AK', 'SK', '20230527/cn-north-4/lts');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toBe(v11DerivedKey('AK', 'SK', '20230527/cn-north-1/lts'));
  });
});
