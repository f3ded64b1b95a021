import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AccessKeyRegistry, generateAccessKey } from './access-keys.ts';
import { buildClientOptions, sampleIds } from './client-options.ts';
import { createEmulatorConsole } from './console-routes.ts';
import { answerControl, readControlRequest } from './control-api.ts';
import type { Emulator } from './emulator-handle.ts';
import { resolveOptions } from './emulator-options.ts';
import { copyStats, emptyStats } from './emulator-stats.ts';
import { Faults } from './faults.ts';
import { answerIamRequest } from './iam.ts';
import { listen, trackConnections } from './listening.ts';
import { startMetadataService } from './metadata-service.ts';
import { presentedSecrets, type Secret, SecretRedactor } from './redaction.ts';
import { authenticateReport, presentedCredential } from './report-authentication.ts';
import { reportRecords } from './report-records.ts';
import {
  checkContentType,
  jsonContentType,
  matchReportRoute,
  type ReportRoute,
  shortenPath,
} from './report-routes.ts';
import { checkContentEncoding, gunzipBody, header, readBody } from './request-body.ts';
import { bodyForStatus, errorCodes, GatewayRefusal, Refusal, responseBodies } from './responses.ts';
import { type RecordFilter, RecordStore } from './store.ts';
import { emulatorCertificates } from './tls.ts';
import { generateToken, TokenRegistry, tokenFingerprint } from './tokens.ts';
import type { EmulatorOptions, EmulatorStats, RequestLogEntry } from './types.ts';

export { sampleIds };

/**
 * Starts an emulator of the LTS report API (the contents routes and the
 * producer route), with AK/SK signature checks, an IAM stand-in, an optional
 * ECS metadata stand-in and a control API.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = resolveOptions(options);
  const { maxBodyBytes, now, nowMs, windowNs, region, host } = settings;

  // Every secret the emulator learns, so that no path, error or AK it shows carries one.
  const secrets = new SecretRedactor();
  const tokens = new TokenRegistry(settings.tokens !== undefined, secrets);
  for (const token of settings.tokens ?? []) tokens.add(token);
  const sampleToken = generateToken();
  tokens.add(sampleToken, true);
  const faults = new Faults(tokens);
  const keys = new AccessKeyRegistry(secrets);
  settings.accessKeys.forEach((key, index) => {
    keys.addPermanent(key, `accessKeys[${index}]`);
  });
  // Frozen: handed out on the handle, it must keep matching the registry's copy.
  const sampleKey = Object.freeze(generateAccessKey());
  keys.addPermanent(sampleKey, 'accessKey', true);
  const store = new RecordStore(settings.maxStoredRecords);
  const requestLog: RequestLogEntry[] = [];
  const stats: EmulatorStats = emptyStats();
  const timers = new Set<NodeJS.Timeout>();
  let requestSequence = 0;
  const emulatorConsole = createEmulatorConsole({
    store,
    requestLog,
    stats: statsSnapshot,
    faults,
    metadata: () => metadata?.controls,
  });

  let ca: string | undefined;
  let server: Server;
  if (settings.tls) {
    const certificates = settings.tls === true ? await emulatorCertificates() : settings.tls;
    ca = certificates.ca;
    server = createHttpsServer({ key: certificates.key, cert: certificates.cert }, handle);
  } else {
    server = createHttpServer(handle);
  }
  server.keepAliveTimeout = 5000;
  const sockets = trackConnections(server);
  const url = `${settings.tls ? 'https' : 'http'}://${await listen(server, settings.port, host)}`;
  const metadata =
    settings.metadata === undefined
      ? undefined
      : await startMetadataService({
          host,
          settings: settings.metadata,
          keys,
          nowMs,
          secrets,
        }).catch((error: unknown) => {
          server.close();
          throw error;
        });

  /** Logs an answered request, its texts cleared of secrets (known ones and those it carried). */
  function record(entry: RequestLogEntry, presented: readonly Secret[]): void {
    entry.path = secrets.redact(entry.path, presented);
    if (entry.error !== undefined) entry.error = secrets.redact(entry.error, presented);
    if (entry.credential !== undefined) {
      entry.credential.id = secrets.redact(entry.credential.id, presented);
    }
    requestLog.push(entry);
    // Counters describe the API a client talks to; polling the control routes must not move them.
    if (entry.route !== 'control') {
      stats.requests += 1;
      stats.byStatus[entry.status] = (stats.byStatus[entry.status] ?? 0) + 1;
    }
    emulatorConsole.feed.requestLogged(entry);
    settings.onRequest?.(entry);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    const path = (request.url ?? '/').split('?')[0]!;
    const presented = presentedSecrets(request.headers);
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
        // Refusals may quote what the request sent: never a secret.
        const shown = status >= 400 ? secrets.redactValue(body, presented) : body;
        const text = JSON.stringify(shown, (_key, value) =>
          typeof value === 'bigint' ? value.toString() : value,
        );
        response.writeHead(status, { 'content-type': jsonContentType, ...headers });
        response.end(text);
      }
      record(entry, presented);
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
    const route = matchReportRoute(path);
    if (route !== undefined) {
      entry.route = 'report';
      handleReport(request, response, route, entry, finish, presented).catch(internalError);
    } else if (path === '/v3/auth/tokens') {
      entry.route = 'iam';
      handleIam(request, entry, finish).catch(internalError);
    } else if (emulatorConsole.handles(path)) {
      entry.route = 'control';
      entry.status = emulatorConsole.answer(request, response, path);
      entry.durationMs = performance.now() - started;
      record(entry, presented);
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
    route: ReportRoute,
    entry: RequestLogEntry,
    finish: (status: number, body: unknown, headers?: Record<string, string>) => void,
    carried: readonly Secret[],
  ): Promise<void> {
    const { api, projectId } = route;
    entry.api = api;
    const token = header(request, 'x-auth-token');
    if (token !== undefined) entry.tokenId = tokenFingerprint(token);
    const presented = presentedCredential(request.headers, keys);
    if (presented !== undefined) entry.credential = presented;
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
      record(entry, carried);
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
      const credential = authenticateReport(
        api,
        {
          method: request.method ?? 'POST',
          url: request.url ?? '/',
          headers: request.headers,
          body: raw,
          projectId,
        },
        { tokens, keys, region, nowMs: nowMs() },
      );
      entry.credential = credential;
      checkContentType(api, header(request, 'content-type'));
      const encoding = checkContentEncoding(api, header(request, 'content-encoding'));
      entry.compressed = encoding === 'gzip';
      const text = encoding === 'gzip' ? await gunzipBody(raw, maxBodyBytes) : raw.toString('utf8');
      const records = reportRecords(route, text, {
        window: { nowNs: now(), windowNs },
        requestId: entry.id,
        credential: credential.kind,
      });
      entry.records = records.length;
      stats.records += records.length;
      stats.bytes += raw.length;
      stats.byCredential[credential.kind] += 1;
      entry.stored = true;
      if (settings.storeRecords) store.add(records);
      if (outcome !== undefined && 'drop' in outcome) {
        entry.fault = 'drop after-body';
        stats.storedWithoutResponse += records.length;
        response.socket?.destroy();
        finish(0, undefined);
        return;
      }
      finish(200, responseBodies.success);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      entry.error = error.message;
      if (error instanceof GatewayRefusal) stats.signatureFailures += 1;
      if (outcome !== undefined && 'drop' in outcome) {
        entry.fault = 'drop after-body';
        response.socket?.destroy();
        finish(0, undefined);
        return;
      }
      finish(error.status, error.body());
    }
  }

  async function handleIam(
    request: IncomingMessage,
    entry: RequestLogEntry,
    finish: (status: number, body: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    const answer = await answerIamRequest(request, {
      users: settings.iamUsers,
      lifetimeMs: settings.iamLifetimeMs,
      tokens,
    });
    if (answer === 'aborted') return;
    entry.bytes = answer.bytes;
    if (answer.status === 201) stats.iamLogins += 1;
    finish(answer.status, answer.body, answer.headers);
  }

  async function handleControl(
    request: IncomingMessage,
    path: string,
    finish: (status: number, body: unknown) => void,
  ): Promise<void> {
    const control = await readControlRequest(request, path);
    if (control === 'aborted') return;
    const state = { store, requestLog, stats: statsSnapshot, clear, faults };
    const answer = answerControl({ ...state, metadata: metadata?.controls }, control);
    finish(answer.status, answer.body);
    if (request.method !== 'GET') emulatorConsole.feed.controlsChanged();
  }

  function clear(): void {
    requestLog.length = 0;
    Object.assign(stats, emptyStats());
    store.clear(); // Last: the console's feed then sends pages a fresh snapshot.
  }

  function statsSnapshot(): EmulatorStats {
    return copyStats(stats, store.evicted);
  }

  let stopping: Promise<void> | undefined;
  const metadataUrl = metadata?.controls.url;
  const connection = { url, ca, token: sampleToken, accessKey: sampleKey, region, metadataUrl };
  const emulator: Emulator = {
    url,
    consoleUrl: `${url}/`,
    ca,
    ids: sampleIds,
    token: sampleToken,
    accessKey: sampleKey,
    region,
    metadataUrl,
    metadata: metadata?.controls,
    clientOptions: ((overrides) =>
      buildClientOptions(connection, overrides)) as Emulator['clientOptions'],
    records: (filter) => store.list(filter),
    requests: () => [...requestLog],
    stats: statsSnapshot,
    clear,
    waitForRecords: (count, waitOptions = {}) =>
      store.waitWithTimeout(count, waitOptions.filter, waitOptions.timeoutMs ?? 10_000),
    faults,
    issueToken: (issueOptions = {}) => {
      const token = generateToken();
      tokens.add(
        {
          token,
          expiresAt: Date.now() + (issueOptions.lifetimeMs ?? settings.iamLifetimeMs),
        },
        true,
      );
      return token;
    },
    stop: () => {
      emulatorConsole.feed.close();
      stopping ??= Promise.all([
        new Promise<void>((resolve) => {
          for (const timer of timers) clearTimeout(timer);
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
          server.closeAllConnections?.();
        }),
        metadata?.stop(),
      ]).then(() => undefined);
      return stopping;
    },
  };
  return emulator;
}

export type { Emulator, RecordFilter };
