import { type Emulator, errorCodes, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  highAccuracyBody,
  jsonContentType,
  nowNs,
  postReport,
  reportPath,
  standardBody,
} from './report-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

describe('the standard route', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it('answers 200 with the documented body and stores the lines', async () => {
    const answer = await postReport(emulator, {
      body: standardBody(['first', 'second'], { labels: { app: 'shop' } }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(jsonContentType);
    expect(answer.body).toEqual({
      errorCode: 'SVCSTG.ALS.200.200',
      error_msg: 'Report success.',
      result: null,
    });
    expect(emulator.records().map((record) => record.content)).toEqual(['first', 'second']);
  });

  it('accepts log_time_ns as a string of digits and the optional tenant_project_id', async () => {
    const time = nowNs();
    const answer = await postReport(emulator, {
      body: `{"log_time_ns":"${time}","contents":["x"],"labels":{},"tenant_project_id":"p"}`,
    });
    expect(answer.status).toBe(200);
    expect(emulator.records()[0]!.timeNs).toBe(time);
  });

  it('refuses other methods with 405 and unknown paths with 404', async () => {
    const get = await postReport(emulator, { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const unknown = await fetch(`${emulator.url}/v2/contents`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ errorCode: errorCodes.notFound });
    expect(emulator.records()).toEqual([]);
  });
});

describe('the high-accuracy route', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it('stores each entry with its own exact time', async () => {
    const base = nowNs();
    const answer = await postReport(emulator, {
      api: 'high-accuracy',
      body: highAccuracyBody(
        [
          { log: 'log4', timeNs: base + 8n },
          { log: 'log5', timeNs: base },
        ],
        { user_tag: 'x' },
      ),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ errorCode: 'SVCSTG.ALS.200.200' });
    expect(emulator.records()).toMatchObject([
      { content: 'log4', timeNs: base + 8n, labels: { user_tag: 'x' }, api: 'high-accuracy' },
      { content: 'log5', timeNs: base, labels: { user_tag: 'x' }, api: 'high-accuracy' },
    ]);
  });

  it.each(['gzip', 'GZIP'])('accepts a body with Content-Encoding: %s', async (encoding) => {
    const base = nowNs();
    const entries = Array.from({ length: 50 }, (_, index) => ({
      log: `compressed line ${index} ${'x'.repeat(100)}`,
      timeNs: base + BigInt(index),
    }));
    const answer = await postReport(emulator, {
      api: 'high-accuracy',
      body: highAccuracyBody(entries),
      gzip: encoding,
    });
    expect(answer.status).toBe(200);
    expect(emulator.records().map((record) => record.content)).toEqual(
      entries.map((entry) => entry.log),
    );
    const [request] = emulator.requests();
    expect(request).toMatchObject({ compressed: true, records: 50, status: 200 });
    expect(request!.bytes).toBeLessThan(highAccuracyBody(entries).length / 4);
  });

  it('refuses a body that is not gzip although it says so', async () => {
    const answer = await fetch(`${emulator.url}${reportPath(emulator.ids, 'high-accuracy')}`, {
      method: 'POST',
      headers: {
        'x-auth-token': emulator.token,
        'content-type': jsonContentType,
        'content-encoding': 'gzip',
      },
      body: highAccuracyBody([{ log: 'x', timeNs: nowNs() }]),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      errorCode: errorCodes.contentEncoding,
      error_msg: expect.stringContaining('gzip'),
    });
  });

  it('refuses snappy (not emulated) and compression on the standard route', async () => {
    const snappy = await postReport(emulator, {
      api: 'high-accuracy',
      body: highAccuracyBody([{ log: 'x', timeNs: nowNs() }]),
      gzip: 'snappy',
    });
    expect(snappy.status).toBe(400);
    expect(snappy.body.error_msg).toMatch(/snappy/);
    const standard = await postReport(emulator, { gzip: true });
    expect(standard.status).toBe(400);
    expect(standard.body.error_msg).toMatch(/only accepted on the high-accuracy route/);
    expect(emulator.records()).toEqual([]);
  });

  it.each([
    [{ contents: 'x', labels: {} }, /array of \{log_time_ns, log\}/],
    [{ contents: [], labels: {} }, /must not be empty/],
    [{ contents: ['plain string'], labels: {} }, /contents\[0\] must be an object/],
    [{ contents: [{ log_time_ns: 1 }], labels: {} }, /contents\[0\]\.log must be a non-empty/],
    [{ contents: [{ log: '' }], labels: {} }, /contents\[0\]\.log must be a non-empty/],
    [{ contents: [{ log: 'x' }], labels: {} }, /contents\[0\]\.log_time_ns is required/],
  ])('refuses the entries %j', async (body, message) => {
    const answer = await postReport(emulator, { api: 'high-accuracy', body });
    expect(answer.status).toBe(400);
    expect(answer.body.error_msg).toMatch(message);
    expect(answer.body.result).toBeNull();
  });

  it('names the entry whose time is not an integer', async () => {
    const time = nowNs();
    const answer = await postReport(emulator, {
      api: 'high-accuracy',
      body: `{"contents":[{"log_time_ns":${time},"log":"a"},{"log_time_ns":1.5,"log":"b"}],"labels":{}}`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      errorCode: errorCodes.logTime,
      error_msg: expect.stringMatching(/contents\[1\]\.log_time_ns must be an integer/),
    });
    expect(emulator.records()).toEqual([]);
  });
});

describe('path ids', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it.each([
    ['projectId', 'project_id', 32],
    ['logGroupId', 'log_group_id', 36],
    ['logStreamId', 'log_stream_id', 36],
  ] as const)('%s must be exactly %s characters', async (field, name, length) => {
    for (const wrong of [length - 1, length + 1]) {
      const answer = await postReport(emulator, { ids: { [field]: 'a'.repeat(wrong) } });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        errorCode: errorCodes.pathParameter,
        error_msg: `The path parameter ${name} must be ${length} characters of [A-Za-z0-9-]; got ${wrong}.`,
        result: null,
      });
    }
    const right = await postReport(emulator, { ids: { [field]: 'b'.repeat(length) } });
    expect(right.status).toBe(200);
    expect(emulator.records()).toHaveLength(1);
  });

  it('refuses characters outside [A-Za-z0-9-]', async () => {
    const answer = await postReport(emulator, { ids: { projectId: `${'a'.repeat(31)}_` } });
    expect(answer.status).toBe(400);
    expect(answer.body.error_msg).toMatch(/project_id/);
  });
});

describe('headers', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  it('answers 401 without an X-Auth-Token, or with an empty one', async () => {
    for (const token of [null, '']) {
      const answer = await postReport(emulator, { token });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        errorCode: errorCodes.unauthorized,
        error_msg: 'X-Auth-Token is missing.',
        result: null,
      });
    }
    expect(emulator.records()).toEqual([]);
  });

  it('accepts any realistic token when no tokens are configured', async () => {
    const token = `MII${'A'.repeat(1997)}`;
    expect(token).toHaveLength(2000);
    expect((await postReport(emulator, { token })).status).toBe(200);
  });

  it.each([
    [null, 'none'],
    ['application/json', '"application/json"'],
    ['application/json; charset=UTF-8', '"application/json; charset=UTF-8"'],
    ['text/plain;charset=UTF-8', '"text/plain;charset=UTF-8"'],
  ])('refuses Content-Type %s', async (contentType, shown) => {
    const answer = await postReport(emulator, { contentType });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errorCode: errorCodes.contentType,
      error_msg: `Content-Type must be application/json;charset=UTF-8; got ${shown}.`,
      result: null,
    });
    expect(emulator.records()).toEqual([]);
  });

  it('accepts the required Content-Type in any letter case (media types are case-insensitive)', async () => {
    const answer = await postReport(emulator, { contentType: 'application/json;charset=utf-8' });
    expect(answer.status).toBe(200);
  });
});

describe('the body of the standard route', () => {
  beforeEach(async () => {
    emulator = await startEmulator();
  });

  const time = (): string => `${nowNs()}`;
  it.each<[string, () => string, string, RegExp]>([
    ['not JSON', () => '{"log_time_ns":', errorCodes.bodyNotJson, /not valid JSON/],
    ['an array', () => '[]', errorCodes.bodyNotObject, /must be a JSON object/],
    [
      'no labels',
      () => `{"log_time_ns":${time()},"contents":["x"]}`,
      errorCodes.labels,
      /labels is required/,
    ],
    [
      'labels as an array',
      () => `{"log_time_ns":${time()},"contents":["x"],"labels":["a"]}`,
      errorCodes.labels,
      /labels must be an object of strings/,
    ],
    [
      'a label that is not a string',
      () => `{"log_time_ns":${time()},"contents":["x"],"labels":{"tier":3}}`,
      errorCodes.labels,
      /labels\.tier must be a string/,
    ],
    [
      'no log_time_ns',
      () => '{"contents":["x"],"labels":{}}',
      errorCodes.logTime,
      /log_time_ns is required/,
    ],
    [
      'a fractional log_time_ns',
      () => '{"log_time_ns":1764000000000000000.5,"contents":["x"],"labels":{}}',
      errorCodes.logTime,
      /log_time_ns must be an integer/,
    ],
    [
      'log_time_ns in exponent form',
      () => '{"log_time_ns":1.764e18,"contents":["x"],"labels":{}}',
      errorCodes.logTime,
      /log_time_ns must be an integer/,
    ],
    [
      'log_time_ns as a string that is not digits',
      () => '{"log_time_ns":"soon","contents":["x"],"labels":{}}',
      errorCodes.logTime,
      /log_time_ns must be an integer/,
    ],
    [
      'no contents',
      () => `{"log_time_ns":${time()},"labels":{}}`,
      errorCodes.contents,
      /contents is required and must be an array of strings/,
    ],
    [
      'empty contents',
      () => `{"log_time_ns":${time()},"contents":[],"labels":{}}`,
      errorCodes.contents,
      /contents must not be empty/,
    ],
    [
      'a content that is not a string',
      () => `{"log_time_ns":${time()},"contents":["a",{"b":1}],"labels":{}}`,
      errorCodes.contents,
      /contents\[1\] must be a non-empty string/,
    ],
    [
      'an empty content',
      () => `{"log_time_ns":${time()},"contents":["a",""],"labels":{}}`,
      errorCodes.contents,
      /contents\[1\] must be a non-empty string/,
    ],
  ])('refuses %s with 400 naming the problem', async (_name, body, errorCode, message) => {
    const answer = await postReport(emulator, { body: body() });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errorCode,
      error_msg: expect.stringMatching(message),
      result: null,
    });
    expect(emulator.records()).toEqual([]);
    expect(emulator.requests()[0]).toMatchObject({ status: 400, stored: false });
  });
});

describe('log_time_ns', () => {
  const fixedNow = 1_764_000_000_000_000_000n;
  const twoDaysNs = 2n * 24n * 3600n * 1_000_000_000n;

  beforeEach(async () => {
    emulator = await startEmulator({ now: () => fixedNow });
  });

  it('keeps every digit of a time above 2^53, written as a number or as a string', async () => {
    // A float parse would turn this into 1764000000000000000.
    expect(BigInt(Number(1764000000000000123n))).not.toBe(1764000000000000123n);
    const number = await postReport(emulator, {
      body: '{"log_time_ns":1764000000000000123,"contents":["n0","n1"],"labels":{}}',
    });
    const string = await postReport(emulator, {
      body: '{"log_time_ns":"1764000000000000123","contents":["s0"],"labels":{}}',
    });
    const high = await postReport(emulator, {
      api: 'high-accuracy',
      body: '{"contents":[{"log":"h0","log_time_ns":1764000000000000123},{"log_time_ns":1764000000000000457,"log":"h1"}],"labels":{}}',
    });
    expect([number.status, string.status, high.status]).toEqual([200, 200, 200]);
    expect(emulator.records().map((record) => [record.content, record.timeNs])).toEqual([
      ['n0', 1764000000000000123n],
      ['n1', 1764000000000000124n],
      ['s0', 1764000000000000123n],
      ['h0', 1764000000000000123n],
      ['h1', 1764000000000000457n],
    ]);
  });

  it('reads the top-level time even when contents and labels mention log_time_ns', async () => {
    const answer = await postReport(emulator, {
      body: '{"contents":["\\"log_time_ns\\":5","log_time_ns"],"labels":{"log_time_ns":"7"},"log_time_ns":1764000000000000999}',
    });
    expect(answer.status).toBe(200);
    expect(emulator.records().map((record) => record.timeNs)).toEqual([
      1764000000000000999n,
      1764000000000001000n,
    ]);
  });

  it.each([
    ['exactly 2 days ago', fixedNow - twoDaysNs, 200],
    ['exactly 2 days ahead', fixedNow + twoDaysNs, 200],
    ['2 days and 1 ns ago', fixedNow - twoDaysNs - 1n, 400],
    ['2 days and 1 ns ahead', fixedNow + twoDaysNs + 1n, 400],
    ['a time in seconds', fixedNow / 1_000_000_000n, 400],
    ['a time in milliseconds', fixedNow / 1_000_000n, 400],
  ])('window: %s', async (_name, timeNs, status) => {
    const standard = await postReport(emulator, { body: standardBody(['x'], { timeNs }) });
    const high = await postReport(emulator, {
      api: 'high-accuracy',
      body: highAccuracyBody([{ log: 'x', timeNs }]),
    });
    expect([standard.status, high.status]).toEqual([status, status]);
    if (status === 400) {
      expect(standard.body).toEqual({
        errorCode: errorCodes.logTimeOutOfRange,
        error_msg: `log_time_ns ${timeNs} is more than 48 hours from the server time ${fixedNow}.`,
        result: null,
      });
      expect(high.body.error_msg).toMatch(/^contents\[0\]\.log_time_ns .* more than 48 hours/);
    }
    expect(emulator.records()).toHaveLength(status === 200 ? 2 : 0);
  });

  it('uses the configured window (some regions allow 24 h)', async () => {
    await emulator.stop();
    const dayNs = 24n * 3600n * 1_000_000_000n;
    emulator = await startEmulator({ now: () => fixedNow, timeWindowNs: dayNs });
    const inside = await postReport(emulator, {
      body: standardBody(['x'], { timeNs: fixedNow - dayNs }),
    });
    const outside = await postReport(emulator, {
      body: standardBody(['x'], { timeNs: fixedNow - dayNs - 1n }),
    });
    expect([inside.status, outside.status]).toEqual([200, 400]);
    expect(outside.body.error_msg).toMatch(/more than 24 hours/);
  });

  it('checks against the real clock by default', async () => {
    await emulator.stop();
    emulator = await startEmulator();
    const now = nowNs();
    const fresh = await postReport(emulator, { body: standardBody(['x'], { timeNs: now + 123n }) });
    const stale = await postReport(emulator, {
      body: standardBody(['x'], { timeNs: now - 3n * 24n * 3600n * 1_000_000_000n }),
    });
    expect([fresh.status, stale.status]).toEqual([200, 400]);
    expect(emulator.records()[0]!.timeNs).toBe(now + 123n);
  });
});

describe('the body size limit', () => {
  beforeEach(async () => {
    emulator = await startEmulator({ maxBodyBytes: 1000 });
  });

  function bodyOfSize(size: number): string {
    const empty = standardBody([''], {});
    return standardBody(['x'.repeat(size - empty.length)]);
  }

  it('accepts a body of exactly maxBodyBytes and answers 413 beyond', async () => {
    const fits = bodyOfSize(1000);
    expect(Buffer.byteLength(fits)).toBe(1000);
    expect((await postReport(emulator, { body: fits })).status).toBe(200);
    const tooLarge = await postReport(emulator, { body: bodyOfSize(1001) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({
      errorCode: errorCodes.tooLarge,
      error_msg: 'The request body exceeds 1000 bytes.',
      result: null,
    });
    expect(emulator.records()).toHaveLength(1);
    expect(emulator.stats().byStatus).toEqual({ 200: 1, 413: 1 });
  });

  it('answers 413 to a much larger body, announced or chunked, without reading it all', async () => {
    const announced = await postReport(emulator, { body: 'a'.repeat(5_000_000) });
    expect(announced.status).toBe(413);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 80) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const chunked = await fetch(`${emulator.url}${reportPath(emulator.ids)}`, {
      method: 'POST',
      headers: { 'x-auth-token': emulator.token, 'content-type': jsonContentType },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ errorCode: errorCodes.tooLarge });
    expect(emulator.stats().byStatus).toEqual({ 413: 2 });
  });

  it('answers 413 for a gzip body whose decompressed size is beyond the limit', async () => {
    const entries = Array.from({ length: 40 }, (_, index) => ({
      log: `line ${index} ${'y'.repeat(40)}`,
      timeNs: nowNs(),
    }));
    const answer = await postReport(emulator, {
      api: 'high-accuracy',
      body: highAccuracyBody(entries),
      gzip: true,
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error_msg).toBe('The decompressed body exceeds 1000 bytes.');
    expect(emulator.records()).toEqual([]);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(startEmulator({ maxBodyBytes: 0 })).rejects.toThrow(/maxBodyBytes/);
    await expect(startEmulator({ maxBodyBytes: 1.5 })).rejects.toThrow(/maxBodyBytes/);
  });
});
