import { rootCertificates } from 'node:tls';
import { Pool } from 'undici';
import type { ResolvedTlsOptions } from './options.ts';

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
  private readonly pool: Pool;

  constructor(
    origin: URL,
    options: { tls: ResolvedTlsOptions; timeoutMs: number; connections: number },
  ) {
    this.pool = new Pool(origin.origin, {
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
  }

  /** POSTs `body` to `path`. Rejects on network errors; any status resolves. */
  async post(
    path: string,
    headers: Record<string, string>,
    body: string | Buffer,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    const response = await this.pool.request({
      path,
      method: 'POST',
      headers,
      body,
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
    if (!this.pool.destroyed) await this.pool.destroy();
  }
}

/** The reason LTS gave, from a `{errorCode, error_msg, result}` body, as one line. */
export function describeResponse(response: HttpResponse): { errorCode?: string; message: string } {
  let errorCode: string | undefined;
  let detail = '';
  try {
    const parsed = JSON.parse(response.body) as Record<string, unknown>;
    if (typeof parsed.errorCode === 'string') errorCode = parsed.errorCode;
    if (typeof parsed.error_msg === 'string') detail = parsed.error_msg;
    else if (typeof parsed.result === 'string') detail = parsed.result;
  } catch {
    detail = response.body.slice(0, 200).replace(/\s+/g, ' ').trim();
  }
  const message = `HTTP ${response.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`;
  return errorCode === undefined ? { message } : { errorCode, message };
}
