import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { control, postReport, standardBody } from './report-request.ts';

let emulator: Emulator;
afterEach(async () => {
  await emulator?.stop();
});

/** A realistic IAM token (1,000–2,000 characters). */
function realisticToken(mark: string): string {
  return `MII${mark}${'x'.repeat(1400)}`;
}

async function statusWith(token: string): Promise<number> {
  return (await postReport(emulator, { token, body: standardBody(['x']) })).status;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('configured tokens', () => {
  it('accepts only the given tokens and emulator.token; others get 401', async () => {
    const good = realisticToken('good');
    emulator = await startEmulator({ tokens: [good] });
    expect(await statusWith(good)).toBe(200);
    expect(await statusWith(emulator.token)).toBe(200);
    const refused = await postReport(emulator, { token: realisticToken('bad') });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      errorCode: 'SVCSTG.ALS.401.101',
      error_msg: 'The token is invalid.',
      result: null,
    });
    expect(emulator.records()).toHaveLength(2);
  });

  it('emulator.token and issued tokens look like IAM tokens (1,000–2,000 characters)', async () => {
    emulator = await startEmulator();
    for (const token of [emulator.token, emulator.issueToken()]) {
      expect(token.length).toBeGreaterThanOrEqual(1000);
      expect(token.length).toBeLessThanOrEqual(2000);
      expect(token).toMatch(/^MII[A-Za-z0-9_-]+$/);
    }
    expect(emulator.issueToken()).not.toBe(emulator.issueToken());
  });

  it('a token valid until a time stops working then', async () => {
    const token = realisticToken('timed');
    emulator = await startEmulator({ tokens: [{ token, expiresAt: Date.now() + 1000 }] });
    expect(await statusWith(token)).toBe(200);
    await sleep(1100);
    const expired = await postReport(emulator, { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error_msg).toBe('The token has expired.');
  });

  it('a token valid for N requests stops working after N', async () => {
    const token = realisticToken('counted');
    const options: EmulatorOptions = { tokens: [{ token, maxRequests: 2 }] };
    emulator = await startEmulator(options);
    expect([await statusWith(token), await statusWith(token), await statusWith(token)]).toEqual([
      200, 200, 401,
    ]);
  });

  it('issueToken({ lifetimeMs }) issues a token that is accepted, then expires', async () => {
    emulator = await startEmulator({ tokens: [] });
    const token = emulator.issueToken({ lifetimeMs: 1000 });
    expect(await statusWith(token)).toBe(200);
    await sleep(1100);
    expect(await statusWith(token)).toBe(401);
  });
});

describe('token expiry as a fault', () => {
  it('programmatic: expireToken now, at a time, after N requests', async () => {
    emulator = await startEmulator();
    const now = realisticToken('now');
    const later = realisticToken('later');
    const counted = realisticToken('counted');
    emulator.faults.expireToken(now);
    emulator.faults.expireToken(later, { at: new Date(Date.now() + 1000) });
    emulator.faults.expireToken(counted, { afterRequests: 1 });
    expect(await statusWith(now)).toBe(401);
    expect(await statusWith(later)).toBe(200);
    expect([await statusWith(counted), await statusWith(counted)]).toEqual([200, 401]);
    await sleep(1100);
    expect(await statusWith(later)).toBe(401);
    // Without configured tokens any other token still works.
    expect(await statusWith(realisticToken('other'))).toBe(200);
  });

  it('programmatic: expireTokens expires every known token, emulator.token too', async () => {
    const given = realisticToken('given');
    emulator = await startEmulator({ tokens: [given] });
    const issued = emulator.issueToken();
    emulator.faults.expireTokens();
    for (const token of [given, issued, emulator.token]) expect(await statusWith(token)).toBe(401);
  });

  it('over HTTP: expireToken with afterRequests, and at as an ISO date', async () => {
    emulator = await startEmulator();
    const counted = realisticToken('http-counted');
    const timed = realisticToken('http-timed');
    await control(emulator, 'POST', '/_emulator/faults', {
      expireToken: { token: counted, afterRequests: 2 },
    });
    await control(emulator, 'POST', '/_emulator/faults', {
      expireToken: { token: timed, at: new Date(Date.now() + 1000).toISOString() },
    });
    expect([
      await statusWith(counted),
      await statusWith(counted),
      await statusWith(counted),
    ]).toEqual([200, 200, 401]);
    expect(await statusWith(timed)).toBe(200);
    await sleep(1100);
    expect(await statusWith(timed)).toBe(401);
  });

  it('over HTTP: expireTokens at epoch ms', async () => {
    emulator = await startEmulator();
    await control(emulator, 'POST', '/_emulator/faults', { expireTokens: { at: Date.now() - 1 } });
    expect(await statusWith(emulator.token)).toBe(401);
  });
});

function loginBody(user: { name: string; password: string; domain: string }, scope: object) {
  return JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: { name: user.name, password: user.password, domain: { name: user.domain } },
        },
      },
      scope: { project: scope },
    },
  });
}

/** The parts of an IAM answer the tests read. */
interface IamAnswerBody {
  token: {
    expires_at: string;
    issued_at: string;
    project: { id: string; name: string };
  };
  error: { code: number; message: string; title: string };
}

async function login(body: string) {
  const response = await fetch(`${emulator.url}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf8' },
    body,
  });
  return {
    status: response.status,
    token: response.headers.get('x-subject-token'),
    body: (await response.json()) as IamAnswerBody,
  };
}

describe('the IAM stand-in (POST /v3/auth/tokens)', () => {
  const user = { domainName: 'acme', userName: 'ops', password: 'S3cret!pass' };
  const good = { name: 'ops', password: 'S3cret!pass', domain: 'acme' };

  it('issues a token in X-Subject-Token with expires_at after the configured lifetime', async () => {
    emulator = await startEmulator({
      tokens: [],
      iam: { users: [user], tokenLifetimeMs: 60_000 },
    });
    const before = Date.now();
    const answer = await login(loginBody(good, { id: emulator.ids.projectId }));
    expect(answer.status).toBe(201);
    expect(answer.token!.length).toBeGreaterThanOrEqual(1000);
    expect(answer.token!.length).toBeLessThanOrEqual(2000);
    const expiresAt = Date.parse(answer.body.token.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000 + 1000);
    expect(answer.body.token).toMatchObject({
      methods: ['password'],
      project: { id: emulator.ids.projectId },
      user: { name: 'ops', domain: { name: 'acme' } },
    });
    expect(answer.body.token.issued_at).toEqual(expect.any(String));
    // The token is checked (tokens: []) and the issued one is accepted.
    expect(await statusWith(answer.token!)).toBe(200);
    expect(emulator.stats().iamLogins).toBe(1);
  });

  it('defaults to a 24 h lifetime and accepts a project scoped by name', async () => {
    emulator = await startEmulator();
    const answer = await login(loginBody(good, { name: 'cn-north-4' }));
    expect(answer.status).toBe(201);
    const lifetime = Date.parse(answer.body.token.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600_000);
    expect(answer.body.token.project.name).toBe('cn-north-4');
  });

  it('an issued token expires after its lifetime', async () => {
    emulator = await startEmulator({ tokens: [], iam: { tokenLifetimeMs: 1000 } });
    const { token } = await login(loginBody(good, { name: 'cn-north-4' }));
    expect(await statusWith(token!)).toBe(200);
    await sleep(1100);
    expect(await statusWith(token!)).toBe(401);
  });

  it('answers 401 for a wrong password, user or domain, and issues nothing', async () => {
    emulator = await startEmulator({ tokens: [], iam: { users: [user] } });
    for (const wrong of [
      { ...good, password: 'nope' },
      { ...good, name: 'someone' },
      { ...good, domain: 'other' },
    ]) {
      const answer = await login(loginBody(wrong, { name: 'cn-north-4' }));
      expect(answer.status).toBe(401);
      expect(answer.token).toBeNull();
      expect(answer.body).toEqual({
        error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' },
      });
    }
    expect(emulator.stats().iamLogins).toBe(0);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    [
      'no password method',
      JSON.stringify({ auth: { identity: { methods: ['token'] } } }),
      /methods must include "password"/,
    ],
    [
      'no domain',
      JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'a', password: 'b' } } },
          scope: { project: { name: 'x' } },
        },
      }),
      /domain\.name/,
    ],
    [
      'no scope',
      loginBody({ name: 'a', password: 'b', domain: 'c' }, {}),
      /scope\.project needs an id or a name/,
    ],
  ])('answers 400 for %s', async (_name, body, message) => {
    emulator = await startEmulator();
    const answer = await login(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(message);
  });

  it('answers 405 to other methods', async () => {
    emulator = await startEmulator();
    const response = await fetch(`${emulator.url}/v3/auth/tokens`);
    expect(response.status).toBe(405);
  });
});

describe('secrets', () => {
  it('tokens and passwords never appear in the request log, only a fingerprint', async () => {
    const token = realisticToken('secret');
    emulator = await startEmulator({
      tokens: [token],
      iam: { users: [{ domainName: 'd', userName: 'u', password: 'Pa55word-xyz' }] },
    });
    await postReport(emulator, { token, body: standardBody(['x']) });
    await postReport(emulator, { token, body: standardBody(['y']) });
    await postReport(emulator, { token: `${token}-wrong` });
    await login(loginBody({ name: 'u', password: 'Pa55word-xyz', domain: 'd' }, { name: 'r' }));
    await login(loginBody({ name: 'u', password: 'Wrong-pass-123', domain: 'd' }, { name: 'r' }));
    const entries = emulator.requests();
    const text = JSON.stringify(entries);
    const overHttp = JSON.stringify((await control(emulator, 'GET', '/_emulator/requests')).body);
    for (const serialized of [text, overHttp]) {
      expect(serialized).not.toContain(token.slice(0, 40));
      expect(serialized).not.toContain('Pa55word-xyz');
      expect(serialized).not.toContain('Wrong-pass-123');
    }
    const fingerprints = entries
      .filter((entry) => entry.route === 'report')
      .map((entry) => entry.tokenId);
    expect(fingerprints[0]).toMatch(/^[0-9a-f]{12}$/);
    expect(fingerprints[1]).toBe(fingerprints[0]);
    expect(fingerprints[2]).not.toBe(fingerprints[0]);
  });
});
