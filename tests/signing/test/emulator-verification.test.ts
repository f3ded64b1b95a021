import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huaweiSign } from './huawei-sdk.ts';
import { v11Steps } from './v11-reference.ts';

/*
 * The emulator's signature checks against Huawei's own signer: requests
 * signed by @huaweicloud/huaweicloud-sdk-core (SDK-HMAC-SHA256) and by the Go
 * producer's algorithm (V11-HMAC-SHA256, v11-reference.ts) are sent over a
 * real socket; the emulator must accept them and refuse them once a signed
 * part changes. Together with the client tests this closes the loop: client
 * and emulator both agree with Huawei, not just with each other.
 */

const key = { id: 'QTWAOYTTINDUT2QVKYUC', secret: 'Kq8wE3rT6yU1iO4pA7sD0fG2hJ5kL9zX3cV6bN8m' };
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ accessKeys: [key] });
});
afterAll(() => emulator.stop());

function sdkDateNow(): string {
  return `${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** Sends exactly these headers and body; resolves to the status. */
function send(path: string, headers: Record<string, string>, body: Buffer): Promise<number> {
  const url = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'POST', headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const { projectId, logGroupId, logStreamId } = {
  projectId: '2a473356cca5487f8373be891bffc1cf',
  logGroupId: '7f1e52d4-6a3b-4c1e-9d0f-5b2a8c3e1f40',
  logStreamId: 'c3d9a8b2-0e7f-4a61-b5c4-92d1e6f03a7b',
};

describe("the emulator accepts exactly what Huawei's signers sign", () => {
  it('SDK-HMAC-SHA256 from the Node SDK, on both report routes; a changed byte is refused', async () => {
    for (const route of ['contents', 'contents/high-accuracy']) {
      const path = `/v2/${projectId}/lts/groups/${logGroupId}/streams/${logStreamId}/tenant/${route}`;
      const data = {
        log_time_ns: `${Date.now()}000000`,
        contents: ['signed by Huawei’s SDK ✓'],
        labels: { signer: 'huaweicloud-sdk-core' },
      };
      const body =
        route === 'contents'
          ? { ...data }
          : {
              contents: [{ log_time_ns: data.log_time_ns, log: data.contents[0] }],
              labels: data.labels,
            };
      const headers = huaweiSign(
        {
          method: 'POST',
          endpoint: `${emulator.url}${path}`,
          headers: {
            'Content-Type': 'application/json;charset=UTF-8',
            'X-Project-Id': projectId,
            'X-Sdk-Date': sdkDateNow(),
          },
          data: body,
        },
        key,
      );
      const bytes = Buffer.from(JSON.stringify(body));
      expect(await send(path, headers, bytes)).toBe(200);
      // The same signature over a body one byte longer: refused.
      expect(await send(path, headers, Buffer.concat([bytes, Buffer.from(' ')]))).toBe(401);
    }
    const stored = emulator.records({ credential: 'access-key' });
    expect(stored.map((record) => record.content)).toEqual([
      'signed by Huawei’s SDK ✓',
      'signed by Huawei’s SDK ✓',
    ]);
  });

  it('SDK-HMAC-SHA256 over a gzip body (hash given as X-Sdk-Content-Sha256, as the SDK takes it)', async () => {
    const path = `/v2/${projectId}/lts/groups/${logGroupId}/streams/${logStreamId}/tenant/contents/high-accuracy`;
    const gzipped = gzipSync(
      JSON.stringify({
        contents: [{ log_time_ns: `${Date.now()}000000`, log: 'compressed' }],
        labels: {},
      }),
    );
    const headers = huaweiSign(
      {
        method: 'POST',
        endpoint: `${emulator.url}${path}`,
        headers: {
          'Content-Type': 'application/json;charset=UTF-8',
          'Content-Encoding': 'gzip',
          'X-Project-Id': projectId,
          'X-Sdk-Date': sdkDateNow(),
          'X-Sdk-Content-Sha256': createHash('sha256').update(gzipped).digest('hex'),
        },
      },
      key,
    );
    expect(await send(path, headers, gzipped)).toBe(200);
  });

  it('V11-HMAC-SHA256 as the Go producer signs, on the producer route; another region is refused', async () => {
    const path = `/v2/internal/${projectId}/lts/groups/${logGroupId}/streams/${logStreamId}/tenant/batch-contents`;
    const body = Buffer.from(
      JSON.stringify({
        log_items: [
          {
            contents: [{ log_time_ns: Number(`${Date.now()}000000`), log: 'signed as Go signs' }],
            labels: '{"signer":"go-producer"}',
            tenant_project_id: projectId,
          },
        ],
      }),
    );
    const headers = { 'content-type': 'application/json', 'x-sdk-date': sdkDateNow() };
    const signed = v11Steps({ method: 'POST', path, headers, body }, key, emulator.region);
    expect(await send(path, { ...headers, authorization: signed.authorization }, body)).toBe(200);
    const elsewhere = v11Steps({ method: 'POST', path, headers, body }, key, 'ap-southeast-1');
    expect(await send(path, { ...headers, authorization: elsewhere.authorization }, body)).toBe(
      401,
    );
    expect(emulator.records({ api: 'batch' }).map((record) => record.labels)).toEqual([
      { signer: 'go-producer' },
    ]);
  });
});
