import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { control, standardBody } from './report-request.ts';
import {
  expectNoSecrets,
  gatewayBody,
  movableClock,
  producerBody,
  type SignedReportRequest,
  type SigningKey,
  signedReport,
} from './signed-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

const noAgency = 'Please configure Cloud Service Agency first';

/** `PUT /meta-data/latest/api/token` with a TTL header (none for null). */
async function metadataToken(ttl: string | null = '21600') {
  const response = await fetch(`${emulator.metadataUrl}/meta-data/latest/api/token`, {
    method: 'PUT',
    headers: ttl === null ? {} : { 'x-metadata-token-ttl-seconds': ttl },
  });
  return { status: response.status, text: await response.text() };
}

/** `GET /openstack/latest/securitykey`, with a metadata token when given. */
async function securityKey(token?: string) {
  const response = await fetch(`${emulator.metadataUrl}/openstack/latest/securitykey`, {
    headers: token === undefined ? {} : { 'x-metadata-token': token },
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** The token flow a client runs: a metadata token, then the temporary key. */
async function temporaryKey(): Promise<SigningKey & { expiresAt: string }> {
  const token = await metadataToken();
  expect(token.status).toBe(200);
  const answer = await securityKey(token.text);
  expect(answer.status).toBe(200);
  const credential = answer.body.credential as Record<string, string>;
  return {
    id: credential.access!,
    secret: credential.secret!,
    securityToken: credential.securitytoken!,
    expiresAt: credential.expires_at!,
  };
}

async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator({ metadata: true, ...options });
  return emulator;
}

describe('the metadata stand-in', () => {
  it('hands out a temporary key of the real shape through the token flow', async () => {
    await start();
    expect(emulator.metadataUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.metadataUrl).not.toBe(emulator.url);
    const token = await metadataToken();
    expect(token.status).toBe(200);
    expect(token.text.length).toBeGreaterThan(20);
    const before = Date.now();
    const answer = await securityKey(token.text);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      credential: {
        access: expect.stringMatching(/^[A-Z0-9]{20}$/),
        secret: expect.stringMatching(/^[A-Za-z0-9]{40}$/),
        securitytoken: expect.stringMatching(/^[A-Za-z0-9+/=]{1000,}$/),
        expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
    const expiresAt = Date.parse((answer.body.credential as { expires_at: string }).expires_at);
    expect(expiresAt - before).toBeGreaterThanOrEqual(3_600_000 - 1000);
    expect(expiresAt - before).toBeLessThanOrEqual(3_600_000 + 1000);
    expect(emulator.metadata!.issuedKeys()).toBe(1);
  });

  it('the temporary key signs reports (SDK and V11) with its signed X-Security-Token', async () => {
    await start();
    const key = await temporaryKey();
    const standard = await signedReport(emulator, { accessKey: key });
    expect(standard.status).toBe(200);
    expect((await signedReport(emulator, { api: 'batch', accessKey: key })).status).toBe(200);
    expect(emulator.records().map((record) => [record.api, record.credential])).toEqual([
      ['standard', 'temporary-key'],
      ['batch', 'temporary-key'],
    ]);
    expect(emulator.requests().map((request) => request.credential)).toEqual([
      { kind: 'temporary-key', id: key.id, algorithm: 'SDK-HMAC-SHA256' },
      { kind: 'temporary-key', id: key.id, algorithm: 'V11-HMAC-SHA256' },
    ]);
    expect(emulator.stats().byCredential).toEqual({
      token: 0,
      'access-key': 0,
      'temporary-key': 2,
    });
    expectNoSecrets(emulator, standard, [key.secret, key.securityToken!]);
    expect(emulator.records({ credential: 'temporary-key' })).toHaveLength(2);
    const listed = await control(emulator, 'GET', '/_emulator/records?credential=access-key');
    expect(listed.body).toEqual([]);
  });

  it.each<[string, SignedReportRequest, string | RegExp]>([
    ['without X-Security-Token', { omit: ['x-security-token'] }, /needs its X-Security-Token/],
    [
      'with another X-Security-Token',
      { headers: { 'x-security-token': `gQ${'A'.repeat(1200)}` } },
      'the X-Security-Token does not belong to the access key',
    ],
    [
      'with an unsigned X-Security-Token',
      { unsigned: ['x-security-token'] },
      /needs its X-Security-Token header, and the header signed/,
    ],
  ])('refuses a temporary key %s', async (_name, request, message) => {
    await start();
    const key = await temporaryKey();
    for (const api of ['standard', 'batch'] as const) {
      const answer = await signedReport(emulator, { api, accessKey: key, ...request });
      expect(answer.status).toBe(401);
      expect(answer.body.error_msg).toEqual(
        typeof message === 'string'
          ? `Incorrect IAM authentication information: ${message}`
          : expect.stringMatching(message),
      );
      expectNoSecrets(emulator, answer, [key.secret, key.securityToken!]);
    }
    expect(emulator.records()).toEqual([]);
  });

  // Found by a new user: a permanent key with a bogus security token was accepted as an access key.
  it('refuses a permanent key signed with an X-Security-Token (bogus, or that of a temporary key), as the gateway does', async () => {
    const permanent = {
      id: 'PERMAK0123456789ABCD',
      secret: 'permanent-secret-0123456789abcdefghijkl',
    };
    await start({ accessKeys: [permanent] });
    const temporary = await temporaryKey();
    const message =
      'the X-Security-Token does not belong to the access key (a permanent access key takes none)';
    const tokens = [`gQ${'b'.repeat(1200)}`, temporary.securityToken!];
    for (const api of ['standard', 'batch'] as const) {
      for (const [accessKey, securityToken] of [
        [permanent, tokens[0]],
        [emulator.accessKey, tokens[0]],
        [permanent, tokens[1]],
      ] as const) {
        // Signed correctly with the permanent key, the security token signed too.
        const answer = await signedReport(emulator, {
          api,
          accessKey: { ...accessKey, securityToken },
        });
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual(gatewayBody(message));
        expectNoSecrets(emulator, answer, [permanent.secret, temporary.securityToken!]);
      }
    }
    const unsigned = await signedReport(emulator, {
      accessKey: { ...permanent, securityToken: tokens[0] },
      unsigned: ['x-security-token'],
    });
    expect(unsigned.body).toEqual(gatewayBody(message));
    expect(emulator.records()).toEqual([]);
    expect(emulator.requests()[0]).toMatchObject({
      status: 401,
      stored: false,
      credential: { kind: 'access-key', id: permanent.id },
    });
    expect(emulator.stats()).toMatchObject({
      signatureFailures: 7,
      byCredential: { token: 0, 'access-key': 0, 'temporary-key': 0 },
    });
    // Without the header the same key works, and the temporary key with its own token.
    expect((await signedReport(emulator, { accessKey: permanent })).status).toBe(200);
    expect((await signedReport(emulator, { accessKey: temporary })).status).toBe(200);
  });

  it('checks the TTL of a metadata token: 1 to 21600 seconds', async () => {
    await start();
    for (const ttl of ['1', '21600']) expect((await metadataToken(ttl)).status).toBe(200);
    for (const ttl of [null, '0', '21601', 'abc', '-5', '1.5']) {
      const answer = await metadataToken(ttl);
      expect(answer.status).toBe(400);
      expect(answer.text).toMatch(
        /X-Metadata-Token-Ttl-Seconds must be an integer from 1 to 21600/,
      );
    }
  });

  it('refuses securitykey with a missing, unknown or expired metadata token (401, not the agency message)', async () => {
    const clock = movableClock();
    await start({ now: clock.now });
    const token = (await metadataToken('60')).text;
    for (const sent of [undefined, 'not-a-token']) {
      const answer = await securityKey(sent);
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain(noAgency);
    }
    expect((await securityKey(token)).status).toBe(200);
    clock.advance(60_000);
    const expired = await securityKey(token);
    expect(expired.status).toBe(401);
    expect(expired.text).not.toContain(noAgency);
    expect(emulator.metadata!.snapshot()).toMatchObject({ securityKeyRequests: 4, refusals: 3 });
  });

  it('tokenApi: false answers 404 on the token route and needs no token', async () => {
    await start({ metadata: { tokenApi: false } });
    expect((await metadataToken()).status).toBe(404);
    expect((await securityKey()).status).toBe(200);
    emulator.metadata!.setTokenApi(true);
    expect((await securityKey()).status).toBe(401);
    expect((await metadataToken()).status).toBe(200);
  });

  it('agency: false answers 401 "Please configure Cloud Service Agency first", whatever the token', async () => {
    await start({ metadata: { agency: false } });
    const token = (await metadataToken()).text;
    for (const sent of [token, undefined]) {
      const answer = await securityKey(sent);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: noAgency });
    }
    emulator.metadata!.setAgency(true);
    expect((await securityKey(token)).status).toBe(200);
  });
});

describe('temporary key rotation and expiry', () => {
  it('hands out the same key until 1/6 of its life before expiry; the old one works until it expires', async () => {
    const clock = movableClock();
    await start({ now: clock.now, metadata: { keyLifetimeMs: 60_000 } });
    const report = (key: SigningKey) =>
      signedReport(emulator, {
        accessKey: key,
        date: clock.date(),
        body: standardBody(['x'], { timeNs: clock.now() }),
      });
    const first = await temporaryKey();
    expect(first.expiresAt).toBe(new Date(clock.date().getTime() + 60_000).toISOString());
    clock.advance(49_999);
    expect((await temporaryKey()).id).toBe(first.id);
    clock.advance(1);
    const second = await temporaryKey();
    expect(second.id).not.toBe(first.id);
    expect(emulator.metadata!.issuedKeys()).toBe(2);
    expect((await temporaryKey()).id).toBe(second.id);
    expect((await report(first)).status).toBe(200);
    expect((await report(second)).status).toBe(200);
    clock.advance(10_000);
    const expired = await report(first);
    expect(expired.status).toBe(401);
    expect(expired.body.error_msg).toBe(
      `Incorrect IAM authentication information: Get secretKey failed,ak:${first.id.slice(0, 4)}****,err:the temporary key has expired`,
    );
    expect((await report(second)).status).toBe(200);
    expect(emulator.metadata!.snapshot()).toMatchObject({
      issuedKeys: 2,
      activeKeys: 1,
      currentKey: { accessKeyId: second.id },
    });
  });

  it('expires with real short timers too', async () => {
    await start({ metadata: { keyLifetimeMs: 600 } });
    const key = await temporaryKey();
    expect((await signedReport(emulator, { accessKey: key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect((await signedReport(emulator, { accessKey: key })).status).toBe(401);
    expect((await temporaryKey()).id).not.toBe(key.id);
  });

  it('expireKeys() ends every issued key; the next call issues a fresh one', async () => {
    await start();
    const first = await temporaryKey();
    emulator.metadata!.expireKeys();
    const refused = await signedReport(emulator, { accessKey: first });
    expect(refused.status).toBe(401);
    expect(refused.body.error_msg).toMatch(/err:the temporary key has expired$/);
    const fresh = await temporaryKey();
    expect(fresh.id).not.toBe(first.id);
    expect((await signedReport(emulator, { accessKey: fresh })).status).toBe(200);
  });

  it('revokeKey() ends one key; it is not handed out again', async () => {
    await start();
    const first = await temporaryKey();
    expect(emulator.metadata!.revokeKey(first.id)).toBe(true);
    expect(emulator.metadata!.revokeKey('NOSUCHKEY')).toBe(false);
    const refused = await signedReport(emulator, { api: 'batch', accessKey: first });
    expect(refused.status).toBe(401);
    expect(refused.body.error_msg).toMatch(/err:the temporary key was revoked$/);
    expect((await temporaryKey()).id).not.toBe(first.id);
  });

  it('over HTTP: POST /_emulator/metadata expireKeys / revoke, GET counts without secrets', async () => {
    await start();
    const first = await temporaryKey();
    expect(await control(emulator, 'POST', '/_emulator/metadata', { revoke: first.id })).toEqual({
      status: 200,
      body: expect.objectContaining({ issuedKeys: 1, activeKeys: 0, currentKey: null }),
    });
    const second = await temporaryKey();
    const expired = await control(emulator, 'POST', '/_emulator/metadata', { expireKeys: true });
    expect(expired.body).toMatchObject({
      issuedKeys: 2,
      activeKeys: 0,
      keys: [
        { accessKeyId: first.id, state: 'revoked' },
        { accessKeyId: second.id, state: 'expired' },
      ],
    });
    const snapshot = await control(emulator, 'GET', '/_emulator/metadata');
    expect(snapshot.body).toMatchObject({
      url: emulator.metadataUrl,
      tokenApi: true,
      agency: true,
      keyLifetimeMs: 3_600_000,
      tokenRequests: 2,
      securityKeyRequests: 2,
    });
    const text = JSON.stringify(snapshot.body);
    for (const secret of [first.secret, first.securityToken!, second.secret]) {
      expect(text).not.toContain(secret);
    }
    for (const bad of [{ revoke: 'NOSUCHKEY' }, { expire: true }, { tokenApi: 'no' }]) {
      expect((await control(emulator, 'POST', '/_emulator/metadata', bad)).status).toBe(400);
    }
    await control(emulator, 'POST', '/_emulator/metadata', { tokenApi: false, agency: false });
    expect((await securityKey()).body).toEqual({ error: noAgency });
  });

  it('without the metadata option: no metadataUrl, and the control route answers 404', async () => {
    emulator = await startEmulator();
    expect(emulator.metadataUrl).toBeUndefined();
    expect(emulator.metadata).toBeUndefined();
    expect((await control(emulator, 'GET', '/_emulator/metadata')).status).toBe(404);
  });

  it('stop() closes the metadata server too', async () => {
    await start();
    const url = emulator.metadataUrl!;
    await emulator.stop();
    await expect(fetch(`${url}/openstack/latest/securitykey`)).rejects.toThrow();
  });

  it('refuses a bad keyLifetimeMs before listening', async () => {
    await expect(startEmulator({ metadata: { keyLifetimeMs: 0 } })).rejects.toThrow(
      /metadata\.keyLifetimeMs must be a positive integer/,
    );
  });
});

describe('clientOptions({ credentials })', () => {
  it("'token' (the default), 'access-key' and 'ecs-metadata'; credentials is not passed on", async () => {
    await start({ region: 'eu-west-101' });
    const connection = { endpoint: emulator.url, ...emulator.ids };
    expect(emulator.clientOptions()).toEqual({ ...connection, token: emulator.token });
    expect(emulator.clientOptions({ credentials: 'token' })).toEqual({
      ...connection,
      token: emulator.token,
    });
    expect(emulator.clientOptions({ credentials: 'access-key' })).toEqual({
      ...connection,
      accessKey: { id: emulator.accessKey.id, secret: emulator.accessKey.secret },
      region: 'eu-west-101',
    });
    expect(emulator.clientOptions({ credentials: 'ecs-metadata', logStreamId: 'other' })).toEqual({
      ...connection,
      logStreamId: 'other',
      ecsMetadata: { endpoint: emulator.metadataUrl },
      region: 'eu-west-101',
    });
  });

  it("'ecs-metadata' throws a clear error without the metadata stand-in; tls follows HTTPS", async () => {
    emulator = await startEmulator({ tls: true });
    expect(() => emulator.clientOptions({ credentials: 'ecs-metadata' })).toThrow(
      /metadata stand-in is not running; start the emulator with startEmulator\(\{ metadata: true \}\)/,
    );
    expect(emulator.clientOptions({ credentials: 'access-key' }).tls).toEqual({ ca: emulator.ca });
  });
});

describe('a producer body signed with a temporary key', () => {
  it('is stored with its labels', async () => {
    await start();
    const key = await temporaryKey();
    const body = producerBody([
      {
        entries: [{ log: 'from ecs', timeNs: BigInt(Date.now()) * 1_000_000n }],
        labels: { a: 'b' },
      },
    ]);
    expect((await signedReport(emulator, { api: 'batch', accessKey: key, body })).status).toBe(200);
    expect(emulator.records()).toMatchObject([
      { content: 'from ecs', labels: { a: 'b' }, credential: 'temporary-key' },
    ]);
  });
});
