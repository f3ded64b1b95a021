import { request as httpRequest } from 'node:http';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  control,
  failureOf,
  highAccuracyBody,
  jsonContentType,
  nowNs,
  postReport,
  reportPath,
  standardBody,
} from './report-request.ts';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.stop();
});

async function statuses(count: number, api: 'standard' | 'high-accuracy' = 'standard') {
  const seen: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const body =
      api === 'standard'
        ? standardBody([`line ${index}`])
        : highAccuracyBody([{ log: `line ${index}`, timeNs: nowNs() }]);
    seen.push((await postReport(emulator, { api, body })).status);
  }
  return seen;
}

/** Applies a fault description over HTTP (`POST /_emulator/faults`). */
async function postFaults(description: unknown) {
  const answer = await control(emulator, 'POST', '/_emulator/faults', description);
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('a queue of forced statuses', () => {
  it('programmatic: 503, 503, then normal; 503 answers with {result} only', async () => {
    emulator.faults.enqueue({ status: 503 }, { status: 503 });
    const first = await postReport(emulator, { body: standardBody(['x']) });
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ result: 'The requested service is invalid and unavailable.' });
    expect(await statuses(2)).toEqual([503, 200]);
    expect(emulator.records().map((record) => record.content)).toEqual(['line 1']);
    expect(emulator.requests().map((request) => request.fault)).toEqual([
      'status 503',
      'status 503',
      undefined,
    ]);
    expect(emulator.stats().byStatus).toEqual({ 200: 1, 503: 2 });
  });

  it('over HTTP: POST /_emulator/faults {enqueue}', async () => {
    const described = await postFaults({ enqueue: [{ status: 503 }, { status: 503 }] });
    expect(described).toMatchObject({ queue: [{ status: 503 }, { status: 503 }] });
    expect(await statuses(3)).toEqual([503, 503, 200]);
    expect(emulator.records()).toHaveLength(1);
  });

  it('answers 500 and 429 with the documented bodies, and Retry-After when asked', async () => {
    emulator.faults.enqueue({ status: 500 }, { status: 429, retryAfter: '2' });
    const internal = await postReport(emulator);
    expect(internal.status).toBe(500);
    expect(internal.body).toEqual({
      errorCode: 'SVCSTG.ALS.500.500',
      error_msg: 'Internal error.',
      result: null,
    });
    const limited = await postReport(emulator);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body).toMatchObject({ errorCode: 'SVCSTG.ALS.429.101', result: null });
  });

  it('an outcome can target one route (over HTTP)', async () => {
    await postFaults({ enqueue: [{ status: 500, api: 'high-accuracy' }] });
    expect(await statuses(1)).toEqual([200]);
    expect(await statuses(2, 'high-accuracy')).toEqual([500, 200]);
  });

  it('does not touch control or IAM routes', async () => {
    emulator.faults.enqueue({ status: 503 });
    expect((await control(emulator, 'GET', '/_emulator/health')).status).toBe(200);
    const login = await fetch(`${emulator.url}/v3/auth/tokens`, {
      method: 'POST',
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: 'u', password: 'p', domain: { name: 'd' } } },
          },
          scope: { project: { name: 'cn-north-4' } },
        },
      }),
    });
    expect(login.status).toBe(201);
    expect(await statuses(2)).toEqual([503, 200]);
  });
});

describe('failure probability', () => {
  async function sequence(seed: number): Promise<number[]> {
    await emulator.stop();
    emulator = await startEmulator();
    emulator.faults.failureRate({ status: 503, probability: 0.5, seed });
    return statuses(24);
  }

  it('fails at the given rate, the same way for the same seed', async () => {
    const first = await sequence(42);
    const again = await sequence(42);
    const other = await sequence(7);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(new Set(first)).toEqual(new Set([200, 503]));
  });

  it('over HTTP, with probability 1 every request fails; a rate can target one route', async () => {
    await postFaults({ failureRate: { status: 500, probability: 1, seed: 3, api: 'standard' } });
    expect(await statuses(3)).toEqual([500, 500, 500]);
    expect(await statuses(1, 'high-accuracy')).toEqual([200]);
    const described = (await control(emulator, 'GET', '/_emulator/faults')).body;
    expect(described).toMatchObject({
      failureRates: [{ status: 500, probability: 1, api: 'standard' }],
    });
  });

  it('with probability 0 nothing fails', async () => {
    emulator.faults.failureRate({ status: 503, probability: 0 });
    expect(await statuses(5)).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('latency', () => {
  it('programmatic: delays every answer, and the records are stored', async () => {
    emulator.faults.latency(300);
    const started = performance.now();
    expect((await postReport(emulator)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.requests()[0]).toMatchObject({ fault: 'latency 300', status: 200 });
    expect(emulator.records()).toHaveLength(1);
  });

  it('over HTTP: latencyMs, then DELETE /_emulator/faults back to normal', async () => {
    await postFaults({ latencyMs: 500 });
    let started = performance.now();
    await postReport(emulator);
    expect(performance.now() - started).toBeGreaterThanOrEqual(490);
    const cleared = await control(emulator, 'DELETE', '/_emulator/faults');
    expect(cleared.body).toMatchObject({ queue: [], latencyMs: 0, failureRates: [] });
    started = performance.now();
    await postReport(emulator);
    expect(performance.now() - started).toBeLessThan(450);
  });

  it('a client that gives up during the delay is logged with status 0', async () => {
    emulator.faults.latency(400);
    await expect(
      postReport(emulator, { body: standardBody(['late']), signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow(/aborted|timeout/i);
    await expect.poll(() => emulator.requests().length, { timeout: 5000 }).toBe(1);
    expect(emulator.requests()[0]).toMatchObject({
      status: 0,
      fault: 'latency 400',
      stored: false,
      error: 'the client closed the connection before the answer',
    });
    expect(emulator.records()).toEqual([]);
  });

  it('a queued {delayMs} delays one answer', async () => {
    emulator.faults.enqueue({ delayMs: 300 });
    const started = performance.now();
    expect((await postReport(emulator)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(emulator.requests()[0]!.fault).toBe('delay 300');
  });
});

describe('hang', () => {
  it('programmatic: never answers the next request; the one after is normal', async () => {
    emulator.faults.hang({ count: 1 });
    const hung = postReport(emulator, {
      body: standardBody(['hung']),
      signal: AbortSignal.timeout(500),
    });
    await expect(hung).rejects.toThrow(/aborted|timeout/i);
    expect(await statuses(1)).toEqual([200]);
    expect(emulator.records().map((record) => record.content)).toEqual(['line 0']);
    expect(emulator.requests()[0]).toMatchObject({ status: 0, fault: 'hang', stored: false });
  });

  it('over HTTP: hang every request until cleared; stop() ends hanging connections', async () => {
    await postFaults({ hang: {} });
    expect((await control(emulator, 'GET', '/_emulator/faults')).body).toMatchObject({
      hangRemaining: 'all',
    });
    const first = postReport(emulator);
    const second = postReport(emulator);
    const settled = Promise.allSettled([first, second]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await emulator.stop();
    const results = await settled;
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(emulator.records()).toEqual([]);
  });
});

describe('dropped connections', () => {
  it('before the body: the client sees a reset and nothing is stored', async () => {
    emulator.faults.drop({ when: 'before-body', count: 1 });
    const failure = await failureOf(postReport(emulator, { body: standardBody(['lost']) }));
    expect(failure).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed|EPIPE/);
    expect(emulator.records()).toEqual([]);
    expect(emulator.requests()[0]).toMatchObject({ status: 0, fault: 'drop before-body' });
    expect(await statuses(1)).toEqual([200]);
  });

  it('after the body: the client sees a reset but the records ARE stored', async () => {
    emulator.faults.drop({ when: 'after-body', count: 1 });
    const failure = await failureOf(postReport(emulator, { body: standardBody(['kept', 'too']) }));
    expect(failure).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    expect(emulator.records().map((record) => record.content)).toEqual(['kept', 'too']);
    expect(emulator.stats()).toMatchObject({ storedWithoutResponse: 2, byStatus: { 0: 1 } });
    expect(emulator.requests()[0]).toMatchObject({
      status: 0,
      stored: true,
      fault: 'drop after-body',
    });
  });

  it('over HTTP: drop {when, count} and queued {drop}', async () => {
    await postFaults({ drop: { when: 'after-body', count: 2 } });
    for (const content of ['one', 'two']) {
      await failureOf(postReport(emulator, { body: standardBody([content]) }));
    }
    expect(await statuses(1)).toEqual([200]);
    await postFaults({ enqueue: [{ drop: 'before-body' }] });
    await failureOf(postReport(emulator, { body: standardBody(['never']) }));
    expect(emulator.records().map((record) => record.content)).toEqual(['one', 'two', 'line 0']);
  });

  it('drops with node:http too: the request errors with a socket hang up', async () => {
    emulator.faults.drop({ when: 'before-body' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const request = httpRequest(`${emulator.url}${reportPath(emulator.ids)}`, {
        method: 'POST',
        headers: { 'x-auth-token': emulator.token, 'content-type': jsonContentType },
      });
      request.on('response', () => reject(new Error('expected no answer')));
      request.on('error', resolve);
      request.end(standardBody(['x']));
    });
    expect(error.code).toMatch(/ECONNRESET|EPIPE/);
  });
});

describe('fault descriptions over HTTP', () => {
  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an unknown kind', { latency: 100 }, /Unknown fault "latency"/],
    ['a status as a string', { enqueue: [{ status: '503' }] }, /enqueue\[0\]\.status/],
    ['an unknown outcome', { enqueue: [{ fail: true }] }, /enqueue\[0\] must be one of/],
    [
      'a probability above 1',
      { failureRate: { status: 503, probability: 2 } },
      /failureRate\.probability/,
    ],
    ['a bad drop moment', { drop: { when: 'sometimes' } }, /drop\.when/],
    ['a bad expiry time', { expireTokens: { at: 'tomorrow-ish' } }, /expireTokens\.at/],
  ])('refuses %s with 400 naming the field, applying nothing', async (_name, body, message) => {
    const answer = await control(emulator, 'POST', '/_emulator/faults', body);
    expect(answer.status).toBe(400);
    expect((answer.body as { error: string }).error).toMatch(message);
    expect(await statuses(1)).toEqual([200]);
  });
});
