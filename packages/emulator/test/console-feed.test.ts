import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  ConsoleControls,
  ConsoleCounters,
  ConsoleRecordsEvent,
  ConsoleRequestsEvent,
  ConsoleSnapshot,
} from '../src/console-protocol.ts';
import { type EventStreamReader, openEventStream } from './event-stream.ts';
import { control, nowNs, postReport, standardBody } from './report-request.ts';

let emulator: Emulator | undefined;
const streams: EventStreamReader[] = [];
afterEach(async () => {
  for (const stream of streams.splice(0)) stream.close();
  await emulator?.stop();
  emulator = undefined;
});

async function events(started: Emulator, query = ''): Promise<EventStreamReader> {
  const stream = await openEventStream(`${started.url}/_emulator/events${query}`);
  streams.push(stream);
  return stream;
}

function send(started: Emulator, contents: string[], labels: Record<string, string> = {}) {
  return postReport(started, { body: standardBody(contents, { labels }) });
}

describe('the console page', () => {
  it('is served at / with its script and style, and a policy that loads nothing from elsewhere', async () => {
    emulator = await startEmulator();
    expect(emulator.consoleUrl).toBe(`${emulator.url}/`);
    const page = await fetch(emulator.consoleUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('aria-label="Records"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await fetch(`${emulator.url}/_emulator/console/console.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('EventSource');
    const style = await fetch(`${emulator.url}/_emulator/console/console.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(emulator.consoleUrl, { method: 'POST', body: 'x' })).status).toBe(405);
    // The page's own requests are the control API's: they do not move the counters.
    expect(emulator.stats().requests).toBe(0);
  });
});

describe('the event stream', () => {
  it('starts with a snapshot, then sends new records, requests and counters', async () => {
    emulator = await startEmulator();
    await send(emulator, ['before'], { app: 'web' });
    const stream = await events(emulator);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    const snapshot = await stream.next<ConsoleSnapshot>('snapshot');
    expect(snapshot.records.map((record) => record.content)).toEqual(['before']);
    expect(snapshot).toMatchObject({ matched: 1, limit: 500, filter: '' });
    expect(snapshot.requests).toHaveLength(1);
    expect(snapshot.counters).toMatchObject({ records: 1, stored: 1, requests: 1, labelSets: 1 });

    const time = nowNs();
    await postReport(emulator, {
      body: standardBody(['one', 'two'], { timeNs: time, labels: { app: 'worker' } }),
    });
    const live = await stream.next<ConsoleRecordsEvent>('records');
    expect(live.matched).toBe(3);
    expect(live.records.map((record) => [record.content, record.timeNs, record.labels])).toEqual([
      ['two', (time + 1n).toString(), { app: 'worker' }],
      ['one', time.toString(), { app: 'worker' }],
    ]);
    expect(live.records[0]).toMatchObject({ api: 'standard', credential: 'token', sequence: 3 });
    const requests = await stream.next<ConsoleRequestsEvent>('requests');
    expect(requests.requests.map((request) => [request.status, request.records])).toEqual([
      [200, 2],
    ]);
    const counters = await stream.next<ConsoleCounters>('counters', 3000);
    expect(counters).toMatchObject({ records: 3, stored: 3, labelSets: 2, byStatus: { 200: 2 } });
  });

  it('sends only the newest records (limit) and counts the rest, however many there are', async () => {
    emulator = await startEmulator();
    const contents = Array.from({ length: 20_000 }, (_, index) => `line ${index}`);
    await send(emulator, contents);
    const stream = await events(emulator, '?limit=50');
    const snapshot = await stream.next<ConsoleSnapshot>('snapshot');
    expect(snapshot.matched).toBe(20_000);
    expect(snapshot.records).toHaveLength(50);
    expect(snapshot.records[0]!.content).toBe('line 19999');
    await send(emulator, contents);
    const live = await stream.next<ConsoleRecordsEvent>('records');
    expect(live.records).toHaveLength(50);
    expect(live.matched).toBe(40_000);
  });

  it('filters on the server: words, key=value, phrases and exclusions', async () => {
    emulator = await startEmulator();
    await send(emulator, ['GET /health 200', 'user signed in'], { app: 'web', env: 'dev' });
    await send(emulator, ['job 17 done', 'job 18 FAILED'], { app: 'worker' });
    const matching = async (filter: string) => {
      const stream = await events(emulator!, `?filter=${encodeURIComponent(filter)}`);
      const snapshot = await stream.next<ConsoleSnapshot>('snapshot');
      stream.close();
      expect(snapshot.filter).toBe(filter);
      expect(snapshot.matched).toBe(snapshot.records.length);
      return snapshot.records.map((record) => record.content).reverse();
    };
    expect(await matching('app=worker')).toEqual(['job 17 done', 'job 18 FAILED']);
    expect(await matching('failed')).toEqual(['job 18 FAILED']);
    expect(await matching('dev')).toEqual(['GET /health 200', 'user signed in']);
    expect(await matching('"signed in"')).toEqual(['user signed in']);
    expect(await matching('job -failed')).toEqual(['job 17 done']);
    expect(await matching('app=web health')).toEqual(['GET /health 200']);
    expect(await matching('app=we')).toEqual([]);
    expect(await matching('-app=web')).toEqual(['job 17 done', 'job 18 FAILED']);
    expect(await matching('  ')).toHaveLength(4);

    const stream = await events(emulator, '?filter=app%3Dworker');
    expect((await stream.next<ConsoleSnapshot>('snapshot')).matched).toBe(2);
    await send(emulator, ['not this one'], { app: 'web' });
    await send(emulator, ['this one'], { app: 'worker' });
    const live = await stream.next<ConsoleRecordsEvent>('records');
    expect(live.records.map((record) => record.content)).toEqual(['this one']);
    expect(live.matched).toBe(3);
  });

  it('keeps counts right when records are evicted, and starts over after a clear', async () => {
    emulator = await startEmulator({ maxStoredRecords: 3 });
    const stream = await events(emulator, '?filter=keep');
    await stream.next<ConsoleSnapshot>('snapshot');
    await send(emulator, ['keep 1', 'drop 1', 'keep 2'], { run: '1' });
    expect((await stream.next<ConsoleRecordsEvent>('records')).matched).toBe(2);
    await send(emulator, ['keep 3', 'keep 4'], { run: '2' });
    // keep 1 and drop 1 were evicted.
    expect((await stream.next<ConsoleRecordsEvent>('records')).matched).toBe(3);
    const counters = await stream.next<ConsoleCounters>('counters', 3000);
    expect(counters).toMatchObject({ records: 5, stored: 3, evicted: 2, labelSets: 2 });
    await control(emulator, 'DELETE', '/_emulator/records');
    const fresh = await stream.next<ConsoleSnapshot>('snapshot');
    expect(fresh).toMatchObject({ matched: 0, records: [], requests: [] });
    expect(fresh.counters).toMatchObject({ records: 0, stored: 0, labelSets: 0 });
  });

  it('cuts very long content and keeps its length', async () => {
    emulator = await startEmulator();
    await send(emulator, ['x'.repeat(100_000)]);
    const stream = await events(emulator);
    const [record] = (await stream.next<ConsoleSnapshot>('snapshot')).records;
    expect(record!.content).toHaveLength(16_384);
    expect(record!.contentLength).toBe(100_000);
  });

  it('sends the controls when faults change, without any secret', async () => {
    emulator = await startEmulator({ metadata: true });
    const stream = await events(emulator);
    const snapshot = await stream.next<ConsoleSnapshot>('snapshot');
    expect(snapshot.controls.metadata).toMatchObject({ issuedKeys: 0, tokenApi: true });
    await control(emulator, 'POST', '/_emulator/faults', {
      failureRates: [{ status: 503, probability: 0.5 }],
      latencyMs: 20,
    });
    const controls = await stream.next<ConsoleControls>('controls');
    expect(controls.faults).toMatchObject({
      failureRates: [{ status: 503, probability: 0.5 }],
      latencyMs: 20,
    });
    const text = JSON.stringify(controls);
    expect(text).not.toContain(emulator.token);
    expect(text).not.toContain(emulator.accessKey.secret);
  });

  it('ends every stream on stop(), after a stopped event', async () => {
    emulator = await startEmulator();
    const stream = await events(emulator);
    await stream.next('snapshot');
    const stopping = emulator.stop();
    await stream.next('stopped');
    await stream.ended();
    await stopping;
  });

  it('answers 405 to anything but GET', async () => {
    emulator = await startEmulator();
    expect((await fetch(`${emulator.url}/_emulator/events`, { method: 'POST' })).status).toBe(405);
  });
});

describe('fault controls the console uses', () => {
  it('failureRates replaces the rates set before ([] removes them)', async () => {
    emulator = await startEmulator();
    await control(emulator, 'POST', '/_emulator/faults', {
      failureRate: { status: 500, probability: 1 },
    });
    const replaced = await control(emulator, 'POST', '/_emulator/faults', {
      failureRates: [{ status: 503, probability: 1 }],
    });
    expect(replaced.body).toMatchObject({ failureRates: [{ status: 503, probability: 1 }] });
    expect((await send(emulator, ['a'])).status).toBe(503);
    await control(emulator, 'POST', '/_emulator/faults', { failureRates: [] });
    expect((await send(emulator, ['a'])).status).toBe(200);
    const refused = await control(emulator, 'POST', '/_emulator/faults', {
      failureRates: [{ status: 503, probability: 2 }],
    });
    expect(refused).toEqual({
      status: 400,
      body: { error: 'failureRates[0].probability must be a number from 0 to 1.' },
    });
  });

  it('expireToken by fingerprint, for a token an app presented (any token accepted)', async () => {
    emulator = await startEmulator();
    const token = `MII${'a'.repeat(1200)}`;
    expect((await postReport(emulator, { token })).status).toBe(200);
    const tokenId = emulator.requests().at(-1)!.tokenId!;
    const expired = await control(emulator, 'POST', '/_emulator/faults', {
      expireToken: { tokenId },
    });
    expect(expired.status).toBe(200);
    expect((await postReport(emulator, { token })).status).toBe(401);
    expect((await postReport(emulator, { token: `MII${'b'.repeat(1200)}` })).status).toBe(200);
    const unknown = await control(emulator, 'POST', '/_emulator/faults', {
      expireToken: { tokenId: '000000000000' },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('no known token has this fingerprint');
  });

  it('expireTokens expires the tokens apps presented too', async () => {
    emulator = await startEmulator();
    const token = `MII${'c'.repeat(1200)}`;
    expect((await postReport(emulator, { token })).status).toBe(200);
    await control(emulator, 'POST', '/_emulator/faults', { expireTokens: {} });
    expect((await postReport(emulator, { token })).status).toBe(401);
  });
});
