import { gzipSync } from 'node:zlib';
import type { AccessKey, Emulator, SignatureAlgorithm } from '@logtank/emulator';
import { expect } from 'vitest';
import { formatSdkDate, signRequest } from '../src/signature.ts';
import { jsonContentType, type PathIds, reportPath, standardBody } from './report-request.ts';

/** A temporary key as the metadata stand-in hands it out (or any key with a security token). */
export type SigningKey = AccessKey & { securityToken?: string };

/** The producer route for these ids. */
export function producerPath(ids: PathIds): string {
  return `/v2/internal/${ids.projectId}/lts/groups/${ids.logGroupId}/streams/${ids.logStreamId}/tenant/batch-contents`;
}

/** A producer body as Huawei's Go producer writes it: labels as a JSON string. */
export function producerBody(
  items: Array<{
    entries: Array<{ log: string; timeNs: bigint | string }>;
    labels?: Record<string, string>;
    tenantProjectId?: string;
  }>,
): string {
  const written = items.map((item) => {
    const contents = item.entries
      .map((entry) => {
        const time = typeof entry.timeNs === 'string' ? `"${entry.timeNs}"` : `${entry.timeNs}`;
        return `{"log_time_ns":${time},"log":${JSON.stringify(entry.log)}}`;
      })
      .join(',');
    const tenant =
      item.tenantProjectId === undefined
        ? ''
        : `,"tenant_project_id":${JSON.stringify(item.tenantProjectId)}`;
    return `{"contents":[${contents}],"labels":${JSON.stringify(JSON.stringify(item.labels ?? {}))}${tenant}}`;
  });
  return `{"log_items":[${written.join(',')}]}`;
}

/** Options of {@link signedReport}; every field has a working default. */
export interface SignedReportRequest {
  api?: 'standard' | 'high-accuracy' | 'batch';
  ids?: Partial<PathIds>;
  /** Appended to the path as sent and signed: a query (`?a=1`) or a trailing slash. */
  pathSuffix?: string;
  /** Defaults to a one-line body of the route's shape, timed by `date`. */
  body?: string;
  /** Gzip the body (signed as compressed bytes). */
  gzip?: boolean;
  /** Defaults to `emulator.accessKey`. */
  accessKey?: SigningKey;
  /** Defaults to SDK-HMAC-SHA256 on the contents routes and V11-HMAC-SHA256 on batch. */
  algorithm?: SignatureAlgorithm;
  /** V11's region; defaults to `emulator.region`. */
  region?: string;
  /** The X-Sdk-Date; defaults to now. */
  date?: Date;
  /** Extra or replaced headers (signed unless listed in `unsigned`). */
  headers?: Record<string, string>;
  /** Headers sent but left out of the signature. */
  unsigned?: string[];
  /** Default headers not sent at all. */
  omit?: string[];
  /** The body actually sent, when it differs from the signed one (tampering). */
  sentBody?: string | Uint8Array;
  /** Sign with this secret instead of the key's own (a wrong signature). */
  signingSecret?: string;
}

/** What a signed request got back, with the signature it carried. */
export interface SignedAnswer {
  status: number;
  text: string;
  body: Record<string, unknown>;
  /** The Authorization header sent. */
  authorization: string;
}

/** Sends one report request signed with the emulator's own signature module. */
export async function signedReport(
  emulator: Emulator,
  request: SignedReportRequest = {},
): Promise<SignedAnswer> {
  const api = request.api ?? 'standard';
  const ids = { ...emulator.ids, ...request.ids };
  const date = request.date ?? new Date();
  const timeNs = BigInt(date.getTime()) * 1_000_000n;
  const key: SigningKey = request.accessKey ?? emulator.accessKey;
  const algorithm = request.algorithm ?? (api === 'batch' ? 'V11-HMAC-SHA256' : 'SDK-HMAC-SHA256');
  const path = `${api === 'batch' ? producerPath(ids) : reportPath(ids, api)}${request.pathSuffix ?? ''}`;
  const text =
    request.body ??
    (api === 'batch'
      ? producerBody([{ entries: [{ log: 'signed line', timeNs }] }])
      : api === 'standard'
        ? standardBody(['signed line'], { timeNs })
        : `{"contents":[{"log_time_ns":${timeNs},"log":"signed line"}],"labels":{}}`);
  const payload = request.gzip ? gzipSync(text) : Buffer.from(text);
  const headers: Record<string, string> = {
    'content-type': api === 'batch' ? 'application/json' : jsonContentType,
    'x-sdk-date': formatSdkDate(date),
    ...(api === 'batch' ? {} : { host: new URL(emulator.url).host, 'x-project-id': ids.projectId }),
    ...(request.gzip ? { 'content-encoding': 'gzip' } : {}),
    ...(request.gzip && api === 'batch' ? { 'x-access-type': 'terminal' } : {}),
    ...(key.securityToken === undefined ? {} : { 'x-security-token': key.securityToken }),
    ...request.headers,
  };
  for (const name of request.omit ?? []) delete headers[name];
  const signed = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !(request.unsigned ?? []).includes(name)),
  );
  const authorization = signRequest(
    {
      method: 'POST',
      path,
      headers: signed,
      body: payload,
      accessKey: { id: key.id, secret: request.signingSecret ?? key.secret },
      sdkDate: formatSdkDate(date),
    },
    algorithm === 'SDK-HMAC-SHA256'
      ? algorithm
      : { algorithm, region: request.region ?? emulator.region },
  );
  // fetch sets Host itself, to the same value that was signed.
  const { host: _host, ...sent } = headers;
  const response = await fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { ...sent, authorization },
    body: request.sentBody === undefined ? payload : Buffer.from(request.sentBody),
  });
  const answer = await response.text();
  return {
    status: response.status,
    text: answer,
    body: answer === '' ? {} : (JSON.parse(answer) as Record<string, unknown>),
    authorization,
  };
}

/** The signature of an Authorization header. */
export function signatureOf(authorization: string): string {
  return /Signature=([0-9a-f]+)/.exec(authorization)![1]!;
}

/** Asserts that none of `secrets` appears in the answer, the request log or the stats. */
/** The API gateway's answer to a refused signature: APIGW.0301 with `message`, and a request id. */
export function gatewayBody(message: string | RegExp) {
  return {
    error_code: 'APIGW.0301',
    error_msg:
      typeof message === 'string'
        ? `Incorrect IAM authentication information: ${message}`
        : expect.stringMatching(message),
    request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
  };
}

export function expectNoSecrets(emulator: Emulator, answer: SignedAnswer, secrets: string[]): void {
  const visible = [
    answer.text,
    JSON.stringify(emulator.requests()),
    JSON.stringify(emulator.stats()),
    JSON.stringify(emulator.records(), (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    ),
  ].join('\n');
  for (const secret of [...secrets, signatureOf(answer.authorization)]) {
    expect(visible).not.toContain(secret);
  }
}

/** A fixed clock for `startEmulator({ now })`, movable by tests. */
export function movableClock(startMs = Date.UTC(2030, 0, 2, 3, 4, 5)) {
  let currentMs = startMs;
  return {
    now: () => BigInt(currentMs) * 1_000_000n,
    date: () => new Date(currentMs),
    advance: (ms: number) => {
      currentMs += ms;
    },
  };
}
