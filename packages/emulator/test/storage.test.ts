import { type Emulator, type StoredRecord, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { control, highAccuracyBody, nowNs, postReport, standardBody } from './report-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

const otherStream = {
  projectId: 'f'.repeat(32),
  logGroupId: '11111111-2222-3333-4444-555555555555',
  logStreamId: '66666666-7777-8888-9999-000000000000',
};

describe('what is stored', () => {
  it('keeps content, effective time log_time_ns + i, labels, stream, api and request', async () => {
    emulator = await startEmulator();
    const base = nowNs();
    await postReport(emulator, {
      body: standardBody(['a', 'b', 'c'], { timeNs: base, labels: { app: 'shop', env: 'dev' } }),
    });
    await postReport(emulator, {
      ids: otherStream,
      api: 'high-accuracy',
      body: highAccuracyBody([{ log: 'd', timeNs: base - 5n }], { app: 'billing' }),
    });
    const [first, second] = emulator.requests();
    const shared = {
      labels: { app: 'shop', env: 'dev' },
      ...emulator.ids,
      api: 'standard',
      credential: 'token',
    };
    expect(emulator.records()).toEqual<StoredRecord[]>([
      { content: 'a', timeNs: base, ...shared, requestId: first!.id } as StoredRecord,
      { content: 'b', timeNs: base + 1n, ...shared, requestId: first!.id } as StoredRecord,
      { content: 'c', timeNs: base + 2n, ...shared, requestId: first!.id } as StoredRecord,
      {
        content: 'd',
        timeNs: base - 5n,
        labels: { app: 'billing' },
        ...otherStream,
        api: 'high-accuracy',
        requestId: second!.id,
        credential: 'token',
      },
    ]);
  });

  it('keeps arrival order across requests and filters by stream, api, request or predicate', async () => {
    emulator = await startEmulator();
    for (let index = 0; index < 6; index += 1) {
      await postReport(emulator, {
        ids: index % 2 === 0 ? {} : otherStream,
        body: standardBody([`line ${index}`]),
      });
    }
    const contents = (records: StoredRecord[]) => records.map((record) => record.content);
    expect(contents(emulator.records())).toEqual([0, 1, 2, 3, 4, 5].map((i) => `line ${i}`));
    expect(contents(emulator.records({ logStreamId: otherStream.logStreamId }))).toEqual([
      'line 1',
      'line 3',
      'line 5',
    ]);
    expect(contents(emulator.records({ projectId: emulator.ids.projectId }))).toEqual([
      'line 0',
      'line 2',
      'line 4',
    ]);
    expect(emulator.records({ api: 'high-accuracy' })).toEqual([]);
    const third = emulator.requests()[2]!;
    expect(contents(emulator.records({ requestId: third.id }))).toEqual(['line 2']);
    expect(contents(emulator.records((record) => record.content.endsWith('5')))).toEqual([
      'line 5',
    ]);
  });

  it('returns copies: changing the list does not change the store', async () => {
    emulator = await startEmulator();
    await postReport(emulator, { body: standardBody(['kept']) });
    emulator.records().pop();
    expect(emulator.records()).toHaveLength(1);
  });

  it('does not store refused requests', async () => {
    emulator = await startEmulator();
    await postReport(emulator, { body: '{"contents":["x"],"labels":{}}' });
    await postReport(emulator, { token: null });
    expect(emulator.records()).toEqual([]);
    expect(emulator.requests().map((request) => [request.status, request.stored])).toEqual([
      [400, false],
      [401, false],
    ]);
  });

  it('with store: false counts records without keeping them', async () => {
    emulator = await startEmulator({ store: false });
    await postReport(emulator, { body: standardBody(['a', 'b']) });
    expect(emulator.records()).toEqual([]);
    expect(emulator.stats()).toMatchObject({ records: 2, byStatus: { 200: 1 } });
  });

  it('with maxStoredRecords keeps the newest and counts the evicted', async () => {
    emulator = await startEmulator({ maxStoredRecords: 3 });
    await postReport(emulator, { body: standardBody(['a', 'b']) });
    await postReport(emulator, { body: standardBody(['c', 'd', 'e']) });
    expect(emulator.records().map((record) => record.content)).toEqual(['c', 'd', 'e']);
    expect(emulator.stats()).toMatchObject({ records: 5, evicted: 2 });
  });
});

describe('waitForRecords', () => {
  it('resolves once enough matching records arrived', async () => {
    emulator = await startEmulator();
    const waiting = emulator.waitForRecords(3, { filter: { api: 'standard' } });
    await postReport(emulator, { body: standardBody(['1', '2']) });
    await postReport(emulator, { body: standardBody(['3']) });
    const records = await waiting;
    expect(records.map((record) => record.content)).toEqual(['1', '2', '3']);
  });

  it('rejects after timeoutMs saying how many arrived', async () => {
    emulator = await startEmulator();
    await postReport(emulator, { body: standardBody(['only one']) });
    await expect(emulator.waitForRecords(2, { timeoutMs: 100 })).rejects.toThrow(
      'waitForRecords: 1 of 2 records arrived within 100 ms',
    );
  });
});

describe('counters and clearing', () => {
  it('counts requests by status, records and accepted bytes', async () => {
    emulator = await startEmulator();
    const accepted = standardBody(['a', 'b']);
    await postReport(emulator, { body: accepted });
    await postReport(emulator, { body: standardBody(['c']) });
    await postReport(emulator, { body: '[]' });
    await postReport(emulator, { token: null });
    const expected = {
      requests: 4,
      byStatus: { 200: 2, 400: 1, 401: 1 },
      records: 3,
      bytes: accepted.length + standardBody(['c']).length,
      evicted: 0,
      storedWithoutResponse: 0,
      iamLogins: 0,
      byCredential: { token: 2, 'access-key': 0, 'temporary-key': 0 },
      signatureFailures: 0,
    };
    expect(emulator.stats()).toEqual(expected);
    // Over HTTP the same; reading the control routes does not move the counters.
    await control(emulator, 'GET', '/_emulator/records');
    const stats = await control(emulator, 'GET', '/_emulator/stats');
    expect(stats).toEqual({
      status: 200,
      body: { ...expected, byStatus: { 200: 2, 400: 1, 401: 1 } },
    });
  });

  it('clear() forgets records, requests and counters', async () => {
    emulator = await startEmulator({ maxStoredRecords: 1 });
    await postReport(emulator, { body: standardBody(['a', 'b']) });
    emulator.clear();
    expect(emulator.records()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.stats()).toMatchObject({ requests: 0, byStatus: {}, records: 0, evicted: 0 });
  });
});

describe('the HTTP control API', () => {
  it('GET /_emulator/health answers ok', async () => {
    emulator = await startEmulator();
    expect(await control(emulator, 'GET', '/_emulator/health')).toEqual({
      status: 200,
      body: { status: 'ok' },
    });
  });

  it('GET /_emulator/records lists records with exact times as strings of digits', async () => {
    emulator = await startEmulator({ now: () => 1_764_000_000_000_000_000n });
    await postReport(emulator, {
      body: '{"log_time_ns":1764000000000000123,"contents":["x","y"],"labels":{"k":"v"}}',
    });
    await postReport(emulator, {
      ids: otherStream,
      body: standardBody(['z'], { timeNs: 1_764_000_000_000_000_000n }),
    });
    const { status, body } = await control(emulator, 'GET', '/_emulator/records');
    expect(status).toBe(200);
    const requestId = emulator.requests()[0]!.id;
    expect((body as unknown[]).slice(0, 2)).toEqual([
      {
        content: 'x',
        timeNs: '1764000000000000123',
        labels: { k: 'v' },
        ...emulator.ids,
        api: 'standard',
        requestId,
        credential: 'token',
      },
      {
        content: 'y',
        timeNs: '1764000000000000124',
        labels: { k: 'v' },
        ...emulator.ids,
        api: 'standard',
        requestId,
        credential: 'token',
      },
    ]);
    const filtered = await control(
      emulator,
      'GET',
      `/_emulator/records?logStreamId=${otherStream.logStreamId}&api=standard`,
    );
    expect((filtered.body as Array<{ content: string }>).map((record) => record.content)).toEqual([
      'z',
    ]);
    // A typo in a filter is refused, not answered with everything (or nothing).
    expect(await control(emulator, 'GET', '/_emulator/records?logstreamid=x')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/Unknown records filter "logstreamid"/) },
    });
    expect(await control(emulator, 'GET', '/_emulator/records?api=nope')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/api must be one of standard, high-accuracy, batch/) },
    });
  });

  it('DELETE /_emulator/records clears records, requests and counters', async () => {
    emulator = await startEmulator();
    await postReport(emulator, { body: standardBody(['a']) });
    expect(await control(emulator, 'DELETE', '/_emulator/records')).toEqual({
      status: 200,
      body: { cleared: true },
    });
    expect((await control(emulator, 'GET', '/_emulator/records')).body).toEqual([]);
    expect(emulator.stats()).toMatchObject({ requests: 0, records: 0 });
    expect(emulator.requests().filter((request) => request.route === 'report')).toEqual([]);
  });

  it('GET /_emulator/requests lists answered requests with ids shortened in the path', async () => {
    emulator = await startEmulator();
    await postReport(emulator, {
      api: 'high-accuracy',
      body: highAccuracyBody([{ log: 'q', timeNs: nowNs() }]),
    });
    const { body } = await control(emulator, 'GET', '/_emulator/requests');
    expect(body).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/v2/${emulator.ids.projectId.slice(0, 6)}…/groups/${emulator.ids.logGroupId.slice(0, 6)}…/streams/${emulator.ids.logStreamId.slice(0, 6)}…/contents/high-accuracy`,
        route: 'report',
        api: 'high-accuracy',
        status: 200,
        records: 1,
        stored: true,
        compressed: false,
      }),
    ]);
  });

  it('answers 404 for an unknown control route', async () => {
    emulator = await startEmulator();
    expect(await control(emulator, 'GET', '/_emulator/nothing')).toEqual({
      status: 404,
      body: { error: 'No such control route: GET /_emulator/nothing' },
    });
  });
});
