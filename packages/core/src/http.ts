import { isMainThread } from 'node:worker_threads';
import type { Dispatcher } from 'undici';
import type { ResolvedTlsOptions } from './connection-options.ts';
import { type ChosenProxy, describeProxy } from './proxy-choice.ts';

/** A response reduced to what the client acts on. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** How an {@link HttpOrigin} connects. */
export interface HttpOriginOptions {
  tls: ResolvedTlsOptions;
  timeoutMs: number;
  connections: number;
  /** The forward proxy to go through, or undefined for a direct connection. */
  proxy?: ChosenProxy | undefined;
}

/** Responses are small JSON objects; anything longer is cut so a misbehaving proxy cannot fill memory. */
const maxResponseBytes = 64 * 1024;

/**
 * Keep-alive connections to one origin, through undici's public API: a
 * `Pool`, or a `ProxyAgent` when a forward proxy is in the way (CONNECT for
 * an https origin, so TLS is verified end to end; the absolute form for an
 * http one, as curl does). Verification uses Node's root store plus `tls.ca`,
 * so a private CA adds to the public ones.
 */
export class HttpOrigin {
  private dispatcher: Dispatcher | undefined;
  private opening: Promise<Dispatcher> | undefined;
  private destroyed = false;

  constructor(
    private readonly origin: URL,
    private readonly options: HttpOriginOptions,
  ) {
    // On the app's thread undici loads right after construction, so the app
    // pays for it at startup rather than in its first flush. In a worker
    // (pino.transport) it loads on the first request: the app is already
    // logging, and the worker keeps taking its lines meanwhile.
    if (isMainThread) setImmediate(() => this.open().catch(() => {})).unref();
  }

  private open(): Promise<Dispatcher> {
    this.opening ??= this.createDispatcher();
    return this.opening;
  }

  private async createDispatcher(): Promise<Dispatcher> {
    const { Pool, ProxyAgent } = await import('undici');
    if (this.destroyed) throw new Error('the HTTP connection pool is closed');
    const { tls, timeoutMs, connections, proxy } = this.options;
    // Only a private CA needs the root store: node:tls is not loaded otherwise.
    const rootCertificates = tls.ca ? (await import('node:tls')).rootCertificates : [];
    const verification = {
      timeout: timeoutMs,
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(tls.ca ? { ca: [...rootCertificates, ...tls.ca] } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
    };
    const common = {
      connections,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 4000,
    };
    this.dispatcher =
      proxy === undefined
        ? new Pool(this.origin.origin, { ...common, connect: verification })
        : new ProxyAgent({
            ...common,
            uri: proxy.url.href,
            requestTls: verification,
            proxyTls: { timeout: timeoutMs },
            proxyTunnel: this.origin.protocol === 'https:',
          });
    return this.dispatcher;
  }

  /** How requests go, for messages about network errors: through which proxy, if one. */
  get route(): string | undefined {
    return this.options.proxy === undefined ? undefined : describeProxy(this.options.proxy);
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
    const dispatcher = this.dispatcher ?? (await this.open());
    const response = await dispatcher.request({
      origin: this.origin.origin,
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
    const opened = this.dispatcher ?? (await this.opening?.catch(() => undefined));
    this.dispatcher = undefined;
    await opened?.destroy().catch(() => {});
  }
}
