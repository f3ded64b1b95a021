import { type Emulator, errorCodes, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSdkDate } from '../src/signature.ts';
import { control, jsonContentType, nowNs } from './report-request.ts';
import {
  expectNoSecrets,
  gatewayBody,
  producerBody,
  producerPath,
  type SignedReportRequest,
  signedReport,
} from './signed-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

describe('the producer route (…/tenant/batch-contents)', () => {
  it('stores each entry with its own exact time, the labels of its item and api batch', async () => {
    emulator = await startEmulator();
    const base = nowNs();
    const body = producerBody([
      {
        entries: [
          { log: 'first', timeNs: base + 123n },
          { log: 'second', timeNs: `${base - 5n}` },
        ],
        labels: { app: 'shop' },
        tenantProjectId: emulator.ids.projectId,
      },
      { entries: [{ log: 'third', timeNs: base }] },
    ]);
    const answer = await signedReport(emulator, { api: 'batch', body });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      errorCode: 'SVCSTG.ALS.200.200',
      error_msg: 'Report success.',
      result: null,
    });
    expect(emulator.records()).toEqual([
      expect.objectContaining({
        content: 'first',
        timeNs: base + 123n,
        labels: { app: 'shop' },
        api: 'batch',
        credential: 'access-key',
      }),
      expect.objectContaining({ content: 'second', timeNs: base - 5n, labels: { app: 'shop' } }),
      expect.objectContaining({ content: 'third', timeNs: base, labels: {}, api: 'batch' }),
    ]);
    expect(emulator.records({ api: 'batch' })).toHaveLength(3);
    expect(emulator.requests()[0]).toMatchObject({
      api: 'batch',
      records: 3,
      path: `/v2/internal/${emulator.ids.projectId.slice(0, 6)}…/groups/${emulator.ids.logGroupId.slice(0, 6)}…/streams/${emulator.ids.logStreamId.slice(0, 6)}…/batch-contents`,
      credential: { kind: 'access-key', id: emulator.accessKey.id, algorithm: 'V11-HMAC-SHA256' },
    });
    expect(emulator.stats().byCredential['access-key']).toBe(1);
    expectNoSecrets(emulator, answer, [emulator.accessKey.secret]);
  });

  it('accepts gzip with X-Access-Type: terminal, and application/json;charset=UTF-8', async () => {
    emulator = await startEmulator({ region: 'ap-southeast-3' });
    const zipped = await signedReport(emulator, { api: 'batch', gzip: true });
    expect(zipped.status).toBe(200);
    expect(emulator.requests()[0]).toMatchObject({ compressed: true, status: 200 });
    const charset = await signedReport(emulator, {
      api: 'batch',
      headers: { 'content-type': 'Application/JSON;charset=utf-8' },
    });
    expect(charset.status).toBe(200);
    expect(emulator.records()).toHaveLength(2);
  });

  it('a forced fault for api batch hits only this route', async () => {
    emulator = await startEmulator();
    await control(emulator, 'POST', '/_emulator/faults', {
      enqueue: [{ status: 500, api: 'batch' }],
    });
    expect((await signedReport(emulator)).status).toBe(200);
    expect((await signedReport(emulator, { api: 'batch' })).status).toBe(500);
    expect((await signedReport(emulator, { api: 'batch' })).status).toBe(200);
  });
});

describe('V11-HMAC-SHA256 on the producer route', () => {
  const dayOf = (date: Date) => formatSdkDate(date).slice(0, 8);
  const failures: Array<[string, () => SignedReportRequest, string | RegExp]> = [
    ['a wrong secret', () => ({ signingSecret: 'x'.repeat(40) }), 'verify aksk signature fail'],
    [
      'another region',
      () => ({ region: 'cn-north-1' }),
      "the credential region cn-north-1 is not this endpoint's region cn-north-4",
    ],
    [
      'an unsigned content-type',
      () => ({ unsigned: ['content-type'] }),
      /content-type header must/,
    ],
    ['an unsigned x-sdk-date', () => ({ unsigned: ['x-sdk-date'] }), /x-sdk-date header must/],
    [
      'a body altered after signing',
      () => ({ sentBody: producerBody([{ entries: [{ log: 'altered', timeNs: nowNs() }] }]) }),
      'verify aksk signature fail',
    ],
    [
      'an SDK-HMAC-SHA256 signature',
      () => ({ algorithm: 'SDK-HMAC-SHA256' }),
      'the batch-contents route needs an Authorization: V11-HMAC-SHA256 signature; got SDK-HMAC-SHA256',
    ],
    [
      'an unknown AK',
      () => ({ accessKey: { id: 'NOSUCHKEY00000000000', secret: 'y'.repeat(40) } }),
      'Get secretKey failed,ak:NOSU****,err:ak not exist',
    ],
  ];

  it.each(failures)('answers 401 APIGW.0301 to %s', async (_name, build, message) => {
    emulator = await startEmulator();
    const answer = await signedReport(emulator, { api: 'batch', ...build() });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(gatewayBody(message));
    expect(emulator.records()).toEqual([]);
    expect(emulator.stats().signatureFailures).toBe(1);
    expectNoSecrets(emulator, answer, [emulator.accessKey.secret]);
  });

  it('answers 401 when the credential date is not the X-Sdk-Date day', async () => {
    emulator = await startEmulator();
    const date = new Date();
    const yesterday = new Date(date.getTime() - 24 * 3600 * 1000);
    const path = producerPath(emulator.ids);
    const response = await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sdk-date': formatSdkDate(date),
        authorization: `V11-HMAC-SHA256 Credential=${emulator.accessKey.id}/${dayOf(yesterday)}/cn-north-4/lts, SignedHeaders=content-type;x-sdk-date, Signature=${'0'.repeat(64)}`,
      },
      body: producerBody([{ entries: [{ log: 'x', timeNs: nowNs() }] }]),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(
      gatewayBody(
        `the credential date ${dayOf(yesterday)} is not the day of X-Sdk-Date ${dayOf(date)}`,
      ),
    );
  });

  it('answers 401 to an X-Auth-Token or no Authorization at all', async () => {
    emulator = await startEmulator();
    const send = (headers: Record<string, string>) =>
      fetch(`${emulator.url}${producerPath(emulator.ids)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: producerBody([{ entries: [{ log: 'x', timeNs: nowNs() }] }]),
      });
    const token = await send({ 'x-auth-token': emulator.token });
    expect(token.status).toBe(401);
    const tokenBody = await token.text();
    expect(JSON.parse(tokenBody)).toEqual(
      gatewayBody(
        'the batch-contents route needs an Authorization: V11-HMAC-SHA256 signature; X-Auth-Token is not accepted here',
      ),
    );
    expect(tokenBody).not.toContain(emulator.token.slice(0, 40));
    const none = await send({});
    expect(await none.json()).toEqual(gatewayBody(/V11-HMAC-SHA256 signature; none was sent$/));
    expect(emulator.requests()[0]!.credential).toMatchObject({ kind: 'token' });
    expect(emulator.stats().byStatus).toEqual({ 401: 2 });
  });
});

describe('producer body validation', () => {
  const now = nowNs();
  const cases: Array<[string, string, string, string | RegExp]> = [
    ['not JSON', '{"log_items":', errorCodes.bodyNotJson, /^The request body is not valid JSON/],
    ['no log_items', '{"contents":[]}', errorCodes.logItems, /^log_items is required/],
    ['empty log_items', '{"log_items":[]}', errorCodes.logItems, 'log_items must not be empty.'],
    [
      'an item that is not an object',
      '{"log_items":["x"]}',
      errorCodes.logItems,
      'log_items[0] must be an object {contents, labels}.',
    ],
    [
      'empty contents',
      '{"log_items":[{"contents":[],"labels":"{}"}]}',
      errorCodes.contents,
      'log_items[0].contents must not be empty.',
    ],
    [
      'an empty log',
      `{"log_items":[{"contents":[{"log_time_ns":${now},"log":""}],"labels":"{}"}]}`,
      errorCodes.contents,
      'log_items[0].contents[0].log must be a non-empty string.',
    ],
    [
      'a fractional log_time_ns',
      `{"log_items":[{"contents":[{"log_time_ns":1.5,"log":"x"}],"labels":"{}"}]}`,
      errorCodes.logTime,
      /^log_items\[0\]\.contents\[0\]\.log_time_ns must be an integer/,
    ],
    [
      'a log_time_ns out of the window',
      `{"log_items":[{"contents":[{"log_time_ns":1000,"log":"x"}],"labels":"{}"}]}`,
      errorCodes.logTimeOutOfRange,
      /^log_items\[0\]\.contents\[0\]\.log_time_ns 1000 is more than 48 hours/,
    ],
    [
      'labels as an object instead of a string',
      `{"log_items":[{"contents":[{"log_time_ns":${now},"log":"x"}],"labels":{}}]}`,
      errorCodes.labels,
      /^log_items\[0\]\.labels is required and must be a string holding a JSON object/,
    ],
    [
      'labels that are not JSON',
      `{"log_items":[{"contents":[{"log_time_ns":${now},"log":"x"}],"labels":"{oops"}]}`,
      errorCodes.labels,
      /^log_items\[0\]\.labels is not valid JSON/,
    ],
    [
      'a label that is not a string',
      `{"log_items":[{"contents":[{"log_time_ns":${now},"log":"x"}],"labels":"{\\"n\\":1}"}]}`,
      errorCodes.labels,
      'log_items[0].labels.n must be a string.',
    ],
    [
      'another tenant_project_id',
      producerBody([{ entries: [{ log: 'x', timeNs: now }], tenantProjectId: 'f'.repeat(32) }]),
      errorCodes.tenantProjectId,
      /^log_items\[0\]\.tenant_project_id must be the project_id of the path/,
    ],
  ];

  it.each(cases)('refuses %s with 400 naming the field', async (_name, body, code, message) => {
    emulator = await startEmulator();
    const answer = await signedReport(emulator, { api: 'batch', body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errorCode: code,
      error_msg: typeof message === 'string' ? message : expect.stringMatching(message),
      result: null,
    });
    expect(emulator.records()).toEqual([]);
  });

  it('refuses another Content-Type with 400', async () => {
    emulator = await startEmulator();
    for (const contentType of ['text/plain', jsonContentType.replace(';', '; ')]) {
      const answer = await signedReport(emulator, {
        api: 'batch',
        headers: { 'content-type': contentType },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        errorCode: errorCodes.contentType,
        error_msg: `Content-Type must be application/json (optionally ;charset=UTF-8); got ${JSON.stringify(contentType)}.`,
      });
    }
  });
});
