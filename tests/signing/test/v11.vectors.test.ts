import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { v11Authorization } from '../../../packages/core/src/request-signing.ts';
import { huaweiDerivedKey } from './huawei-sdk.ts';
import { v11Steps, type WireRequest } from './v11-reference.ts';

/*
 * V11-HMAC-SHA256 on the producer route. Huawei's Node SDK has no signer for
 * this route (its DerivedAKSKSigner writes the full timestamp on the second
 * line of the string to sign; the Go producer writes the day), so the
 * expected values come from v11-reference.ts, the Go producer's algorithm
 * written out step by step; its HKDF is checked against the SDK's.
 */

const projectId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const groupId = '5b8c2a7e-3f41-4d6a-9e0b-1c2d3e4f5a6b';
const streamId = 'e4d3c2b1-a0f9-4e8d-b7c6-5a4b3c2d1e0f';
const routePath = `/v2/internal/${projectId}/lts/groups/${groupId}/streams/${streamId}/tenant/batch-contents`;

const permanentKey = {
  id: 'QTWAOYTTINDUT2QVKYUC',
  secret: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
};
const temporaryKey = {
  id: 'HST2X0JQ9LZ8VKMH4R7T',
  secret: 'k3Jd9QmZp7Lr2Xv8Nc5Tb1Wy6Hf4Gs0Ae9Ui3OoR',
};
const securityToken = Buffer.from(
  Array.from({ length: 900 }, (_, index) => (index * 131 + 17) % 256),
).toString('base64');

const batchBody = JSON.stringify({
  log_items: [
    {
      contents: [
        { log_time_ns: 1715934605000000000, log: 'GET /health 200 3ms' },
        { log_time_ns: 1715934605000001000, log: 'utilisateur connecté — 用户已登录 ✓' },
      ],
      labels: JSON.stringify({ app: 'checkout', env: 'prod' }),
      tenant_project_id: projectId,
    },
  ],
});
const plain = Buffer.from(batchBody, 'utf8');
const gzipped = gzipSync(plain);

interface Vector {
  name: string;
  key: { id: string; secret: string };
  region: string;
  request: WireRequest;
}

const vectors: Vector[] = [
  {
    name: 'plain, the Go producer header set, cn-north-4',
    key: permanentKey,
    region: 'cn-north-4',
    request: {
      method: 'POST',
      path: routePath,
      headers: { 'content-type': 'application/json', 'X-Sdk-Date': '20240517T083005Z' },
      body: plain,
    },
  },
  {
    name: 'gzip (content-encoding, x-access-type: terminal), cn-north-4',
    key: permanentKey,
    region: 'cn-north-4',
    request: {
      method: 'POST',
      path: routePath,
      headers: {
        'content-type': 'application/json',
        'Content-Encoding': 'gzip',
        'X-Access-Type': 'terminal',
        'X-Sdk-Date': '20240517T083005Z',
      },
      body: gzipped,
    },
  },
  {
    name: 'plain, temporary key with x-security-token, host and x-project-id, ap-southeast-3, midnight UTC',
    key: temporaryKey,
    region: 'ap-southeast-3',
    request: {
      method: 'POST',
      path: routePath,
      headers: {
        'content-type': 'application/json',
        host: '100.125.12.150:8102',
        'X-Project-Id': projectId,
        'X-Sdk-Date': '20250101T000000Z',
        'X-Security-Token': securityToken,
      },
      body: plain,
    },
  },
  {
    name: 'gzip, temporary key, ap-southeast-3, the last second of a day',
    key: temporaryKey,
    region: 'ap-southeast-3',
    request: {
      method: 'POST',
      path: routePath,
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'x-access-type': 'terminal',
        'x-sdk-date': '20241231T235959Z',
        'x-security-token': securityToken,
      },
      body: gzipped,
    },
  },
  {
    name: 'a path with escapes and non-ASCII text (decoded, then escaped byte by byte)',
    key: permanentKey,
    region: 'cn-north-4',
    request: {
      method: 'POST',
      path: '/v2/caf%C3%A9/a%20b/~x.y_z-/%E2%9C%93',
      headers: { 'content-type': 'application/json', 'x-sdk-date': '20240229T120000Z' },
      body: plain,
    },
  },
];

describe('V11-HMAC-SHA256 against the Go producer algorithm', () => {
  it.each(vectors)('$name', ({ key, region, request }) => {
    const steps = v11Steps(request, key, region);
    // The derived key as Huawei's SDK computes it (HKDF-SHA256, salt = AK, info = day/region/lts).
    expect(steps.derivedKeyHex).toBe(huaweiDerivedKey(key.id, key.secret, steps.info));
    expect(steps.info).toBe(`${steps.day}/${region}/lts`);
    expect(steps.stringToSign.split('\n').slice(0, 3)).toEqual([
      'V11-HMAC-SHA256',
      steps.day,
      steps.info,
    ]);
    expect(v11Authorization({ ...request }, key, region)).toBe(steps.authorization);
  });

  it('takes the day of x-sdk-date: midnight starts the new day, the second before does not', () => {
    const at = (date: string) =>
      v11Steps(
        {
          ...vectors[0]!.request,
          headers: { 'content-type': 'application/json', 'x-sdk-date': date },
        },
        permanentKey,
        'cn-north-4',
      ).info;
    expect(at('20241231T235959Z')).toBe('20241231/cn-north-4/lts');
    expect(at('20250101T000000Z')).toBe('20250101/cn-north-4/lts');
  });

  it('canonicalises the producer route as the path plus a slash', () => {
    const steps = v11Steps(vectors[1]!.request, permanentKey, 'cn-north-4');
    expect(steps.canonicalUri).toBe(`${routePath}/`);
    expect(steps.canonicalHeaders).toBe(
      'content-encoding:gzip\ncontent-type:application/json\nx-access-type:terminal\nx-sdk-date:20240517T083005Z\n',
    );
    expect(steps.signedHeaders).toBe('content-encoding;content-type;x-access-type;x-sdk-date');
  });

  it('matches values computed once and pasted in (catches a change on both sides)', () => {
    const { key, region, request } = vectors[0]!;
    const steps = v11Steps(request, key, region);
    expect(steps.derivedKeyHex).toBe(
      '90dfd8ab172fdbc8f01d7061e22aea5c7bb2d6fa8ca60724dd23f6c9fdc5b9d1',
    );
    const expected =
      'V11-HMAC-SHA256 Credential=QTWAOYTTINDUT2QVKYUC/20240517/cn-north-4/lts, SignedHeaders=content-type;x-sdk-date, Signature=4661ff7cbc83918b0b039553a1eb4ba5a5e30a028263c80678bcd5bd28738dc1';
    expect(steps.authorization).toBe(expected);
    expect(v11Authorization(request, key, region)).toBe(expected);
  });
});
