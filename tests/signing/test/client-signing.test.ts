import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { type LtsApi, LtsClient } from '@logtank/core';
import { afterEach, describe, expect, it } from 'vitest';
import { huaweiSign, type SdkRequest } from './huawei-sdk.ts';
import { v11Steps } from './v11-reference.ts';

/*
 * The public client, over real loopback sockets: a plain node:http server
 * records every request as it arrived, and each request's Authorization is
 * recomputed from those wire bytes — with Huawei's SDK for SDK-HMAC-SHA256,
 * with the Go producer's algorithm (v11-reference.ts) for V11-HMAC-SHA256.
 */

interface Captured {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  receivedAt: number;
}

const projectId = 'f3a9c1d7e5b24a6c8d0e2f4a6b8c0d2e';
const logGroupId = '7c1e4b2a-9d3f-4e8a-b6c5-0f1a2b3c4d5e';
const logStreamId = 'b2d4f6a8-1c3e-4a5b-8d7f-9e0a1b2c3d4f';
const key = { id: 'PLXAOYTTINDUT2QVKYUC', secret: 'Zq8wE3rT6yU1iO4pA7sD0fG2hJ5kL9zX3cV6bN8m' };
const securityToken = Buffer.from(
  Array.from({ length: 1200 }, (_, index) => (index * 37 + 11) % 256),
).toString('base64');
const region = 'cn-north-4';

const success = JSON.stringify({
  errorCode: 'SVCSTG.ALS.200.200',
  error_msg: 'Report success.',
  result: null,
});

let server: Server | undefined;

async function startServer(): Promise<{ port: number; requests: Captured[] }> {
  const requests: Captured[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        rawHeaders: request.rawHeaders,
        body: Buffer.concat(chunks),
        receivedAt: Date.now(),
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(success);
    });
  });
  const listening = server;
  await new Promise<void>((resolve, reject) => {
    listening.once('error', reject);
    listening.listen(0, '127.0.0.1', resolve);
  });
  return { port: (listening.address() as AddressInfo).port, requests };
}

afterEach(async () => {
  const closing = server;
  server = undefined;
  if (closing === undefined) return;
  closing.closeAllConnections();
  await new Promise<void>((resolve) => closing.close(() => resolve()));
});

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The one value of a header that must have been sent exactly once. */
function single(request: Captured, name: string): string {
  const values: string[] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === name)
      values.push(request.rawHeaders[index + 1]!);
  }
  expect(values, `${name} sent once`).toHaveLength(1);
  return values[0]!;
}

function parseAuthorization(value: string) {
  const match =
    /^(SDK-HMAC-SHA256|V11-HMAC-SHA256) (?:Access|Credential)=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      value,
    );
  expect(match, value).not.toBeNull();
  return { algorithm: match![1]!, signedHeaders: match![3]!.split(';') };
}

/** `YYYYMMDDTHHMMSSZ` → epoch ms. */
function parseSdkDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  expect(match, value).not.toBeNull();
  const [, year, month, day, hour, minute, second] = match!.map(Number);
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
}

/** The SDK's exact spelling for the headers it looks up by name. */
const sdkSpelling: Record<string, string> = {
  'x-sdk-date': 'X-Sdk-Date',
  'x-sdk-content-sha256': 'X-Sdk-Content-Sha256',
};

/**
 * Huawei's SDK signature of a captured request, over exactly the headers the
 * client signed (their received values) and exactly the received body bytes.
 *
 * The SDK signs every own enumerable key of `request.headers` and takes the
 * payload hash from `request.headers['X-Sdk-Content-Sha256']` (else from
 * JSON.stringify(data)). Passing that hash as a normal header would also sign
 * it, which the client did not; a `data` object only reproduces bodies that
 * are JSON.stringify output, and never gzip. So the hash of the received bytes
 * is set as a NON-enumerable property: the SDK's lookup finds it, its
 * Object.assign/Object.keys header walk does not, and the SDK signs the same
 * header set over the same bytes. (If the client had sent and signed its own
 * X-Sdk-Content-Sha256, that own enumerable value would be used and signed.)
 * For plain JSON bodies the same signature is also computed the SDK's ordinary
 * way, with `data`, to show the property changes nothing else.
 */
function sdkAuthorization(request: Captured, signedHeaders: string[], port: number): string {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[sdkSpelling[name] ?? name] = single(request, name);
  if (!('X-Sdk-Content-Sha256' in headers)) {
    Object.defineProperty(headers, 'X-Sdk-Content-Sha256', {
      value: sha256Hex(request.body),
      enumerable: false,
    });
  }
  // The routes have no query (the route regex of each case checked that): the URL is the path.
  const sdkRequest: SdkRequest = {
    method: request.method,
    endpoint: `http://127.0.0.1:${port}${request.url}`,
    headers,
  };
  const authorization = huaweiSign(sdkRequest, key).Authorization!;

  if (request.headers['content-encoding'] === undefined) {
    const text = request.body.toString('utf8');
    const data = JSON.parse(text) as unknown;
    if (JSON.stringify(data) === text) {
      const viaData = huaweiSign(
        { ...sdkRequest, headers: { ...headers }, data }, // the spread drops the hidden hash
        key,
      ).Authorization;
      expect(viaData, 'the SDK signing the JSON body as data').toBe(authorization);
    }
  }
  return authorization;
}

interface Case {
  name: string;
  api: LtsApi;
  compression: 'none' | 'gzip';
  temporary: boolean;
  route: RegExp;
}

const stream = `lts/groups/${logGroupId}/streams/${logStreamId}/tenant`;
const cases: Case[] = [
  {
    name: "api 'standard', permanent key",
    api: 'standard',
    compression: 'none',
    temporary: false,
    route: new RegExp(`^/v2/${projectId}/${stream}/contents$`),
  },
  {
    name: "api 'high-accuracy' with gzip, temporary key",
    api: 'high-accuracy',
    compression: 'gzip',
    temporary: true,
    route: new RegExp(`^/v2/${projectId}/${stream}/contents/high-accuracy$`),
  },
  {
    name: "api 'batch' (V11), temporary key",
    api: 'batch',
    compression: 'none',
    temporary: true,
    route: new RegExp(`^/v2/internal/${projectId}/${stream}/batch-contents$`),
  },
  {
    name: "api 'batch' (V11) with gzip, permanent key",
    api: 'batch',
    compression: 'gzip',
    temporary: false,
    route: new RegExp(`^/v2/internal/${projectId}/${stream}/batch-contents$`),
  },
];

const lines = [
  'GET /health 200 3ms',
  'utilisateur connecté — 用户已登录 ✓',
  'emoji 🚀 and "quotes"',
];

describe('signatures of the public client, recomputed from the wire', () => {
  it.each(cases)('$name', async ({ api, compression, temporary, route }) => {
    const { port, requests } = await startServer();
    const startedAt = Date.now();
    const client = new LtsClient({
      endpoint: `http://127.0.0.1:${port}`,
      projectId,
      logGroupId,
      logStreamId,
      accessKey: temporary ? { ...key, securityToken } : { ...key },
      api,
      compression,
      ...(api === 'batch' ? { region } : {}),
      labels: { app: 'signing-tests', lieu: 'Zürich' },
      lingerMs: 20,
      retry: { maxAttempts: 1 },
      closeTimeoutMs: 5_000,
    });
    for (const content of lines) client.send({ content });
    client.send({ content: 'with its own labels', labels: { tier: 'ü' } });
    await client.close();

    const stats = client.stats();
    expect(stats.delivered).toBe(lines.length + 1);
    expect(requests.length).toBeGreaterThan(0);

    let contents = '';
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.url).toMatch(route);
      expect(request.headers['x-auth-token']).toBeUndefined();

      const authorization = single(request, 'authorization');
      const { algorithm, signedHeaders } = parseAuthorization(authorization);
      expect(algorithm).toBe(api === 'batch' ? 'V11-HMAC-SHA256' : 'SDK-HMAC-SHA256');

      const date = parseSdkDate(single(request, 'x-sdk-date'));
      expect(date).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000 - 5_000);
      expect(date).toBeLessThanOrEqual(request.receivedAt + 5_000);

      expect(signedHeaders).toContain('x-sdk-date');
      expect(signedHeaders).toContain('content-type');
      if (temporary) {
        expect(single(request, 'x-security-token')).toBe(securityToken);
        expect(signedHeaders).toContain('x-security-token');
      } else {
        expect(request.headers['x-security-token']).toBeUndefined();
      }
      if (compression === 'gzip') {
        expect(single(request, 'content-encoding')).toBe('gzip');
        expect(signedHeaders).toContain('content-encoding');
        if (api === 'batch') expect(signedHeaders).toContain('x-access-type');
      }

      if (api === 'batch') {
        const signedValues: Record<string, string> = {};
        for (const name of signedHeaders) signedValues[name] = single(request, name);
        const expected = v11Steps(
          { method: request.method, path: request.url, headers: signedValues, body: request.body },
          key,
          region,
        ).authorization;
        expect(authorization).toBe(expected);
      } else {
        // The SDK signs host and X-Project-Id: so must the client.
        expect(signedHeaders).toContain('host');
        expect(signedHeaders).toContain('x-project-id');
        expect(authorization).toBe(sdkAuthorization(request, signedHeaders, port));
      }

      contents +=
        compression === 'gzip'
          ? gunzipSync(request.body).toString('utf8')
          : request.body.toString('utf8');
    }
    // The records really went out in those bodies.
    for (const content of lines) expect(contents).toContain(JSON.stringify(content).slice(1, -1));
  });
});
