import { gzipSync } from 'node:zlib';
import type { Emulator } from '@logtank/emulator';

/** The exact Content-Type the report API requires. */
export const jsonContentType = 'application/json;charset=UTF-8';

/** Now, in epoch nanoseconds. */
export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Path ids of a report request. */
export interface PathIds {
  projectId: string;
  logGroupId: string;
  logStreamId: string;
}

/** The report route of `api` for these ids. */
export function reportPath(ids: PathIds, api: 'standard' | 'high-accuracy' = 'standard'): string {
  const base = `/v2/${ids.projectId}/lts/groups/${ids.logGroupId}/streams/${ids.logStreamId}/tenant/contents`;
  return api === 'standard' ? base : `${base}/high-accuracy`;
}

/** A standard-route body, written by hand so the time keeps every digit. */
export function standardBody(
  contents: unknown[],
  options: { timeNs?: bigint; labels?: Record<string, string> } = {},
): string {
  const time = options.timeNs ?? nowNs();
  return `{"log_time_ns":${time},"contents":${JSON.stringify(contents)},"labels":${JSON.stringify(options.labels ?? {})}}`;
}

/** A high-accuracy body: each entry with its own exact time. */
export function highAccuracyBody(
  entries: Array<{ log: string; timeNs: bigint }>,
  labels: Record<string, string> = {},
): string {
  const contents = entries
    .map((entry) => `{"log_time_ns":${entry.timeNs},"log":${JSON.stringify(entry.log)}}`)
    .join(',');
  return `{"contents":[${contents}],"labels":${JSON.stringify(labels)}}`;
}

/** What a report request got back. */
export interface ReportAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** Options of {@link postReport}. */
export interface ReportRequest {
  api?: 'standard' | 'high-accuracy';
  /** Defaults to the emulator's sample ids. */
  ids?: Partial<PathIds>;
  /** A string is sent as is; anything else is JSON-encoded. */
  body?: unknown;
  /** Gzip the body and say so with `Content-Encoding` (default header value `gzip`). */
  gzip?: boolean | string;
  /** Defaults to `emulator.token`; `null` sends no X-Auth-Token. */
  token?: string | null;
  /** Defaults to the exact required Content-Type; `null` sends none. */
  contentType?: string | null;
  method?: string;
  signal?: AbortSignal;
}

/** Sends one report request with plain fetch (no logtank client) and reads the JSON answer. */
export async function postReport(
  emulator: Emulator,
  request: ReportRequest = {},
): Promise<ReportAnswer> {
  const ids = { ...emulator.ids, ...request.ids };
  const text =
    typeof request.body === 'string'
      ? request.body
      : request.body === undefined
        ? standardBody(['a line'])
        : JSON.stringify(request.body);
  const headers: Record<string, string> = {};
  if (request.token !== null) headers['x-auth-token'] = request.token ?? emulator.token;
  if (request.contentType !== null)
    headers['content-type'] = request.contentType ?? jsonContentType;
  // Bytes, not a string: fetch would add its own Content-Type to a string.
  let payload: Uint8Array = Buffer.from(text);
  if (request.gzip) {
    payload = gzipSync(text);
    headers['content-encoding'] = request.gzip === true ? 'gzip' : request.gzip;
  }
  const method = request.method ?? 'POST';
  const response = await fetch(`${emulator.url}${reportPath(ids, request.api)}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: payload }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  });
  const answer = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: answer === '' ? {} : (JSON.parse(answer) as Record<string, unknown>),
  };
}

/** GETs, POSTs or DELETEs a control route and parses its JSON answer. */
export async function control(
  emulator: Emulator,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
  });
  return { status: response.status, body: await response.json() };
}

/** Why a fetch failed without an answer (its cause's code or message). */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (error as Error).message;
  }
  throw new Error('expected the request to fail without an answer');
}
