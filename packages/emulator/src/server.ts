import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { type FaultDescription, Faults } from './faults.ts';
import { iamLogin } from './iam.ts';
import { bodyForStatus, errorCodes, Refusal, responseBodies } from './responses.ts';
import { type RecordFilter, RecordStore } from './store.ts';
import { emulatorCertificates } from './tls.ts';
import { generateToken, TokenRegistry, tokenFingerprint } from './tokens.ts';
import type {
  EmulatorOptions,
  EmulatorStats,
  ReportApi,
  RequestLogEntry,
  StoredRecord,
} from './types.ts';
import { validateReport } from './validate.ts';

const gunzipAsync = promisify(gunzip);
const jsonContentType = 'application/json;charset=UTF-8';
const reportPath =
  /^\/v2\/([^/]+)\/lts\/groups\/([^/]+)\/streams\/([^/]+)\/tenant\/contents(\/high-accuracy)?\/?$/;
const twoDaysNs = 2n * 24n * 3600n * 1_000_000_000n;

/** Sample ids of the right shapes, used by {@link Emulator.clientOptions}. */
export const sampleIds = {
  projectId: '2a473356cca5487f8373be891bffc1cf',
  logGroupId: '7f1e52d4-6a3b-4c1e-9d0f-5b2a8c3e1f40',
  logStreamId: 'c3d9a8b2-0e7f-4a61-b5c4-92d1e6f03a7b',
} as const;

/** Options for an LTS client pointed at the emulator. */
export interface EmulatorClientOptions {
  endpoint: string;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
  token: string;
  tls?: { ca: string };
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` (or `https://`). */
  readonly url: string;
  /** The CA certificate (PEM) to trust, when the emulator serves HTTPS with a generated certificate. */
  readonly ca: string | undefined;
  /** Sample ids of the right shapes. */
  readonly ids: typeof sampleIds;
  /** A valid, realistic token (accepted also when tokens are checked). */
  readonly token: string;
  /** Options for an LTS client (or any logtank adapter) pointed here. */
  clientOptions(overrides?: Partial<EmulatorClientOptions>): EmulatorClientOptions;
  /** Accepted records in arrival order (a copy). */
  records(filter?: RecordFilter): StoredRecord[];
  /** Every request answered so far. */
  requests(): RequestLogEntry[];
  stats(): EmulatorStats;
  /** Forgets records, requests and counters (not faults or tokens). */
  clear(): void;
  /** Resolves when at least `count` records (matching `filter`) are stored; rejects after `timeoutMs`. */
  waitForRecords(
    count: number,
    options?: { timeoutMs?: number; filter?: RecordFilter },
  ): Promise<StoredRecord[]>;
  /** Fault injection. */
  readonly faults: Faults;
  /** Issues a token the way the IAM stand-in does. */
  issueToken(options?: { lifetimeMs?: number }): string;
  /** Closes the server and every connection (hanging ones too). Idempotent. */
  stop(): Promise<void>;
}

/** Starts an emulator of the LTS report API (both routes), with an IAM stand-in and a control API. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes, 10 * 1024 * 1024);
  const maxStoredRecords = positiveInteger(
    'maxStoredRecords',
    options.maxStoredRecords,
    Number.POSITIVE_INFINITY,
  );
  const iamLifetimeMs = positiveInteger(
    'iam.tokenLifetimeMs',
    options.iam?.tokenLifetimeMs,
    24 * 3600 * 1000,
  );
  const storeRecords = options.store ?? true;
  const now = options.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  const windowNs = options.timeWindowNs ?? twoDaysNs;

  const tokens = new TokenRegistry(options.tokens !== undefined);
  for (const token of options.tokens ?? []) tokens.add(token);
  const sampleToken = generateToken();
  tokens.add(sampleToken);
  const faults = new Faults(tokens);
  const store = new RecordStore(maxStoredRecords);
  const requestLog: RequestLogEntry[] = [];
  const stats: EmulatorStats = emptyStats();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let requestSequence = 0;

  let ca: string | undefined;
  let server: Server;
  if (options.tls) {
    const certificates = options.tls === true ? await emulatorCertificates() : options.tls;
    ca = certificates.ca;
    server = createHttpsServer({ key: certificates.key, cert: certificates.cert }, handle);
  } else {
    server = createHttpServer(handle);
  }
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as { port: number; address: string; family: string };
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${address.port}`;

  function record(entry: RequestLogEntry): void {
    requestLog.push(entry);
    // Counters describe the API a client talks to; polling the control routes must not move them.
    if (entry.route !== 'control') {
      stats.requests += 1;
      stats.byStatus[entry.status] = (stats.byStatus[entry.status] ?? 0) + 1;
    }
    options.onRequest?.(entry);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    const path = (request.url ?? '/').split('?')[0]!;
    const entry: RequestLogEntry = {
      id: ++requestSequence,
      time: new Date(),
      method: request.method ?? 'GET',
      path: shortenPath(path),
      route: 'unknown',
      status: 0,
      records: 0,
      bytes: 0,
      compressed: false,
      stored: false,
      durationMs: 0,
    };
    const finish = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      entry.status = status;
      entry.durationMs = performance.now() - started;
      if (status !== 0 && !response.destroyed) {
        const text = JSON.stringify(body, (_key, value) =>
          typeof value === 'bigint' ? value.toString() : value,
        );
        response.writeHead(status, { 'content-type': jsonContentType, ...headers });
        response.end(text);
      }
      record(entry);
    };
    // A bug in a handler answers 500 instead of crashing the process that embeds the emulator.
    const internalError = (error: unknown): void => {
      entry.error = `internal emulator error: ${(error as Error)?.message ?? String(error)}`;
      if (response.headersSent || response.destroyed) {
        response.destroy();
        finish(0, undefined);
      } else {
        finish(500, responseBodies.internalError);
      }
    };
    const route = reportPath.exec(path);
    if (route !== null) {
      entry.route = 'report';
      handleReport(request, response, route, entry, finish).catch(internalError);
    } else if (path === '/v3/auth/tokens') {
      entry.route = 'iam';
      handleIam(request, entry, finish).catch(internalError);
    } else if (path.startsWith('/_emulator/')) {
      entry.route = 'control';
      handleControl(request, path, finish).catch(internalError);
    } else {
      request.resume();
      finish(404, {
        errorCode: errorCodes.notFound,
        error_msg: `No such route: ${request.method} ${path}`,
        result: null,
      });
    }
  }

  async function handleReport(
    request: IncomingMessage,
    response: ServerResponse,
    route: RegExpExecArray,
    entry: RequestLogEntry,
    finish: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const api: ReportApi = route[4] === undefined ? 'standard' : 'high-accuracy';
    entry.api = api;
    const token = header(request, 'x-auth-token');
    if (token !== undefined) entry.tokenId = tokenFingerprint(token);
    if (request.method !== 'POST') {
      request.resume();
      finish(
        405,
        { errorCode: errorCodes.methodNotAllowed, error_msg: 'Use POST.', result: null },
        { allow: 'POST' },
      );
      return;
    }
    const decision = faults.next(api);
    const outcome = decision.outcome;
    if (outcome !== undefined && 'drop' in outcome && outcome.drop === 'before-body') {
      entry.fault = 'drop before-body';
      request.socket.destroy();
      finish(0, undefined);
      return;
    }

    const raw = await readBody(request, maxBodyBytes);
    if (raw === 'too-large') {
      entry.error = `body larger than ${maxBodyBytes} bytes`;
      // The rest of the body is not read: close the connection after answering.
      finish(
        413,
        new Refusal(
          413,
          errorCodes.tooLarge,
          `The request body exceeds ${maxBodyBytes} bytes.`,
        ).body(),
        {
          connection: 'close',
        },
      );
      return;
    }
    if (raw === 'aborted') return;
    entry.bytes = raw.length;

    if (outcome !== undefined && 'hang' in outcome) {
      entry.fault = 'hang';
      record(entry);
      return; // Never answered; stop() destroys the connection.
    }
    const delayMs = outcome !== undefined && 'delayMs' in outcome ? outcome.delayMs : 0;
    const faultsSoFar = [
      ...(delayMs > 0 ? [`delay ${delayMs}`] : []),
      ...(decision.latencyMs > 0 ? [`latency ${decision.latencyMs}`] : []),
    ];
    if (faultsSoFar.length > 0) entry.fault = faultsSoFar.join(', ');
    const delay = delayMs + decision.latencyMs;
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delay);
        timers.add(timer);
      });
      if (response.destroyed || request.socket.destroyed) {
        entry.error = 'the client closed the connection before the answer';
        finish(0, undefined);
        return;
      }
    }
    if (outcome !== undefined && 'status' in outcome) {
      entry.fault = `status ${outcome.status}`;
      finish(
        outcome.status,
        bodyForStatus(outcome.status),
        outcome.retryAfter === undefined ? {} : { 'retry-after': outcome.retryAfter },
      );
      return;
    }

    try {
      const refusedToken = tokens.check(token);
      if (refusedToken !== undefined) throw new Refusal(401, errorCodes.unauthorized, refusedToken);
      const contentType = header(request, 'content-type');
      if (contentType?.toLowerCase() !== jsonContentType.toLowerCase()) {
        throw new Refusal(
          400,
          errorCodes.contentType,
          `Content-Type must be ${jsonContentType}; got ${contentType === undefined ? 'none' : JSON.stringify(contentType)}.`,
        );
      }
      const text = await decodeBody(request, raw, api, entry);
      const ids = { projectId: route[1]!, logGroupId: route[2]!, logStreamId: route[3]! };
      checkId('project_id', ids.projectId, 32);
      checkId('log_group_id', ids.logGroupId, 36);
      checkId('log_stream_id', ids.logStreamId, 36);
      const report = validateReport(text, api, { nowNs: now(), windowNs });
      entry.records = report.contents.length;
      stats.records += report.contents.length;
      stats.bytes += raw.length;
      entry.stored = true;
      if (storeRecords) {
        store.add(
          report.contents.map((content, index) => ({
            content,
            timeNs: report.times[index]!,
            labels: report.labels,
            ...ids,
            api,
            requestId: entry.id,
          })),
        );
      }
      if (outcome !== undefined && 'drop' in outcome) {
        entry.fault = 'drop after-body';
        stats.storedWithoutResponse += report.contents.length;
        response.socket?.destroy();
        finish(0, undefined);
        return;
      }
      finish(200, responseBodies.success);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      entry.error = error.message;
      if (outcome !== undefined && 'drop' in outcome) {
        entry.fault = 'drop after-body';
        response.socket?.destroy();
        finish(0, undefined);
        return;
      }
      finish(error.status, error.body());
    }
  }

  async function decodeBody(
    request: IncomingMessage,
    raw: Buffer,
    api: ReportApi,
    entry: RequestLogEntry,
  ): Promise<string> {
    const encoding = header(request, 'content-encoding')?.toLowerCase();
    if (encoding === undefined || encoding === 'identity') return raw.toString('utf8');
    if (api === 'standard') {
      throw new Refusal(
        400,
        errorCodes.contentEncoding,
        'Content-Encoding is only accepted on the high-accuracy route.',
      );
    }
    if (encoding === 'snappy') {
      throw new Refusal(
        400,
        errorCodes.contentEncoding,
        'Content-Encoding snappy is not supported by the emulator; use gzip.',
      );
    }
    if (encoding !== 'gzip') {
      throw new Refusal(
        400,
        errorCodes.contentEncoding,
        `Content-Encoding ${encoding} is not supported; use gzip.`,
      );
    }
    entry.compressed = true;
    try {
      return (await gunzipAsync(raw, { maxOutputLength: maxBodyBytes })).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new Refusal(
          413,
          errorCodes.tooLarge,
          `The decompressed body exceeds ${maxBodyBytes} bytes.`,
        );
      }
      throw new Refusal(
        400,
        errorCodes.contentEncoding,
        `The gzip body could not be decompressed: ${(error as Error).message}`,
      );
    }
  }

  async function handleIam(
    request: IncomingMessage,
    entry: RequestLogEntry,
    finish: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    if (request.method !== 'POST') {
      request.resume();
      finish(405, { error: { code: 405, message: 'Use POST.', title: 'Method Not Allowed' } });
      return;
    }
    const raw = await readBody(request, 1024 * 1024);
    if (raw === 'aborted') return;
    if (raw === 'too-large') {
      finish(
        413,
        { error: { code: 413, message: 'Body too large.', title: 'Payload Too Large' } },
        { connection: 'close' },
      );
      return;
    }
    entry.bytes = raw.length;
    const answer = iamLogin(raw.toString('utf8'), {
      users: options.iam?.users,
      lifetimeMs: iamLifetimeMs,
      tokens,
    });
    if (answer.status === 201) stats.iamLogins += 1;
    finish(answer.status, answer.body, answer.headers);
  }

  async function handleControl(
    request: IncomingMessage,
    path: string,
    finish: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const raw = await readBody(request, 1024 * 1024);
    if (raw === 'aborted') return;
    const method = request.method ?? 'GET';
    const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
    const key = `${method} ${path.replace(/\/$/, '')}`;
    switch (key) {
      case 'GET /_emulator/health':
        finish(200, { status: 'ok' });
        return;
      case 'GET /_emulator/records': {
        const filter: Record<string, string> = {};
        for (const name of ['projectId', 'logGroupId', 'logStreamId', 'api'] as const) {
          const value = query.get(name);
          if (value !== null) filter[name] = value;
        }
        finish(
          200,
          store.list(filter).map((stored) => ({ ...stored, timeNs: stored.timeNs.toString() })),
        );
        return;
      }
      case 'DELETE /_emulator/records':
        clear();
        finish(200, { cleared: true });
        return;
      case 'GET /_emulator/requests':
        finish(200, requestLog);
        return;
      case 'GET /_emulator/stats':
        finish(200, statsSnapshot());
        return;
      case 'GET /_emulator/faults':
        finish(200, faults.describe());
        return;
      case 'DELETE /_emulator/faults':
        faults.clear();
        finish(200, faults.describe());
        return;
      case 'POST /_emulator/faults': {
        let description: unknown;
        try {
          description = JSON.parse(raw === 'too-large' ? '' : raw.toString('utf8'));
        } catch (error) {
          finish(400, {
            error: `The fault description is not valid JSON: ${(error as Error).message}`,
          });
          return;
        }
        try {
          faults.apply(description as FaultDescription);
        } catch (error) {
          finish(400, { error: (error as Error).message });
          return;
        }
        finish(200, faults.describe());
        return;
      }
      default:
        finish(404, { error: `No such control route: ${method} ${path}` });
    }
  }

  function clear(): void {
    store.clear();
    requestLog.length = 0;
    Object.assign(stats, emptyStats());
  }

  function statsSnapshot(): EmulatorStats {
    return { ...stats, byStatus: { ...stats.byStatus }, evicted: store.evicted };
  }

  let stopping: Promise<void> | undefined;
  const emulator: Emulator = {
    url,
    ca,
    ids: sampleIds,
    token: sampleToken,
    clientOptions: (overrides = {}) => ({
      endpoint: url,
      ...sampleIds,
      token: sampleToken,
      ...(ca === undefined ? {} : { tls: { ca } }),
      ...overrides,
    }),
    records: (filter) => store.list(filter),
    requests: () => [...requestLog],
    stats: statsSnapshot,
    clear,
    waitForRecords: (count, waitOptions = {}) => {
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        let settled = false;
        const done = (records: StoredRecord[]) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(records);
        };
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          store.forget(done);
          reject(
            new Error(
              `waitForRecords: ${store.list(waitOptions.filter).length} of ${count} records arrived within ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        store.waitFor(count, waitOptions.filter).then(done);
      });
    },
    faults,
    issueToken: (issueOptions = {}) => {
      const token = generateToken();
      tokens.add({ token, expiresAt: Date.now() + (issueOptions.lifetimeMs ?? iamLifetimeMs) });
      return token;
    },
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections?.();
      });
      return stopping;
    },
  };
  return emulator;
}

function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    byStatus: {},
    records: 0,
    bytes: 0,
    evicted: 0,
    storedWithoutResponse: 0,
    iamLogins: 0,
  };
}

/** Reads a body up to `limit` bytes. */
function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        request.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('aborted', () => {
      if (done) return;
      done = true;
      resolve('aborted');
    });
    request.on('error', () => {
      if (done) return;
      done = true;
      resolve('aborted');
    });
  });
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function checkId(name: string, value: string, length: number): void {
  if (value.length !== length || !/^[A-Za-z0-9-]+$/.test(value)) {
    throw new Refusal(
      400,
      errorCodes.pathParameter,
      `The path parameter ${name} must be ${length} characters of [A-Za-z0-9-]; got ${value.length}.`,
    );
  }
}

/** Report paths are long; logs show the ids' first characters. */
function shortenPath(path: string): string {
  return path.replace(
    reportPath,
    (_match, project: string, group: string, stream: string, high: string | undefined) =>
      `/v2/${project.slice(0, 6)}…/groups/${group.slice(0, 6)}…/streams/${stream.slice(0, 6)}…/contents${high ?? ''}`,
  );
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (
    !(
      typeof value === 'number' &&
      value > 0 &&
      (Number.isInteger(value) || value === Number.POSITIVE_INFINITY)
    )
  ) {
    throw new TypeError(
      `startEmulator: option ${name} must be a positive integer; got ${String(value)}`,
    );
  }
  return value;
}

export type { RecordFilter };
