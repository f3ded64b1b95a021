import { isMainThread } from 'node:worker_threads';
import type { Pool } from 'undici';
import type { ResolvedTlsOptions } from './options.ts';
import { loadUndici, type UndiciParts } from './undici-loader.ts';

/** A response reduced to what the client acts on. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Responses are small JSON objects; anything longer is cut so a misbehaving proxy cannot fill memory. */
const maxResponseBytes = 64 * 1024;

/**
 * A keep-alive connection pool to one origin (undici `Pool`). TLS verification
 * uses Node's root store plus `tls.ca`, so a private CA adds to the public ones.
 */
export class HttpOrigin {
  private pool: { pool: Pool; request: UndiciParts['request'] } | undefined;
  private opening: Promise<NonNullable<HttpOrigin['pool']>> | undefined;
  private destroyed = false;

  constructor(
    private readonly origin: URL,
    private readonly options: {
      tls: ResolvedTlsOptions;
      timeoutMs: number;
      connections: number;
    },
  ) {
    // On the app's thread undici loads right after construction, so the app
    // pays for it at startup rather than in its first flush. In a worker
    // (pino.transport) it loads on the first request: the app is already
    // logging, and the worker keeps taking its lines meanwhile (measured
    // faster delivery in the bench than loading it up front).
    if (isMainThread) setImmediate(() => this.open().catch(() => {})).unref();
  }

  private open(): Promise<NonNullable<HttpOrigin['pool']>> {
    this.opening ??= this.createPool();
    return this.opening;
  }

  private async createPool(): Promise<NonNullable<HttpOrigin['pool']>> {
    const { Pool, request } = await loadUndici();
    if (this.destroyed) throw new Error('the HTTP connection pool is closed');
    const options = this.options;
    // Only a private CA needs the root store: node:tls is not loaded otherwise.
    const rootCertificates = options.tls.ca ? (await import('node:tls')).rootCertificates : [];
    const pool = new Pool(this.origin.origin, {
      connections: options.connections,
      pipelining: 1,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      keepAliveTimeout: 4000,
      connect: {
        timeout: options.timeoutMs,
        rejectUnauthorized: options.tls.rejectUnauthorized,
        ...(options.tls.ca ? { ca: [...rootCertificates, ...options.tls.ca] } : {}),
        ...(options.tls.servername ? { servername: options.tls.servername } : {}),
      },
    });
    this.pool = { pool, request };
    return this.pool;
  }

  /** POSTs `body` to `path`. Rejects on network errors; any status resolves. */
  post(
    path: string,
    headers: Record<string, string>,
    body: string | Buffer,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    return this.request('POST', path, headers, body, signal);
  }

  /** One request. Rejects on network errors; any status resolves. */
  async request(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string | Buffer,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const { pool, request } = this.pool ?? (await this.open());
    const response = await request.call(pool, {
      path,
      method,
      headers,
      body: body ?? null,
      signal: signal ?? null,
    });
    let text = '';
    for await (const chunk of response.body) {
      if (text.length < maxResponseBytes) text += (chunk as Buffer).toString('utf8');
    }
    return {
      status: response.statusCode,
      headers: response.headers,
      body: text.slice(0, maxResponseBytes),
    };
  }

  /** Closes idle connections and aborts the rest. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const opened = this.pool ?? (await this.opening?.catch(() => undefined));
    if (opened !== undefined && !opened.pool.destroyed) await opened.pool.destroy();
  }
}

/** How much of an unexpected body an error message quotes. */
const excerptLength = 120;

/**
 * Whether a 2xx answer is LTS's own: a JSON object whose `errorCode` names
 * success (`SVCSTG.ALS.200.200`). A captive portal or a misconfigured proxy
 * answering 200 with a page must not count as delivery.
 */
export function isLtsSuccess(response: HttpResponse): boolean {
  try {
    const parsed = JSON.parse(response.body) as Record<string, unknown> | null;
    const code = parsed?.errorCode ?? parsed?.error_code;
    return typeof code === 'string' && /\.200\.\d+$/.test(code);
  } catch {
    return false;
  }
}

/** Why a 2xx or 3xx answer is not taken as delivery: what answered, and where it pointed. */
export function describeForeignAnswer(response: HttpResponse): string {
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (response.status >= 300 && response.status < 400) {
    const location = header('location');
    return `HTTP ${response.status} redirect${location ? ` to ${location.slice(0, 200)}` : ''}, not followed: the endpoint must be LTS itself (a proxy or captive portal in the way?)`;
  }
  const type = header('content-type');
  const excerpt = response.body.slice(0, excerptLength).replace(/\s+/g, ' ').trim();
  return `HTTP ${response.status} but not an LTS answer${type ? ` (${type})` : ''}: ${excerpt === '' ? 'an empty body' : JSON.stringify(excerpt)}`;
}

/** The reason LTS gave, from a `{errorCode, error_msg, result}` body, as one line. */
export function describeResponse(response: HttpResponse): { errorCode?: string; message: string } {
  let errorCode: string | undefined;
  let detail = '';
  try {
    const parsed = JSON.parse(response.body) as Record<string, unknown>;
    // LTS says errorCode; Huawei's API gateway (in front of it) says error_code.
    if (typeof parsed.errorCode === 'string') errorCode = parsed.errorCode;
    else if (typeof parsed.error_code === 'string') errorCode = parsed.error_code;
    if (typeof parsed.error_msg === 'string') detail = parsed.error_msg;
    else if (typeof parsed.result === 'string') detail = parsed.result;
  } catch {
    detail = response.body.slice(0, 200).replace(/\s+/g, ' ').trim();
  }
  const message = `HTTP ${response.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`;
  return errorCode === undefined ? { message } : { errorCode, message };
}
