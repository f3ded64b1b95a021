import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type AccessKeyRegistry,
  generateAccessKey,
  generateSecurityToken,
  type TemporaryAccessKey,
} from './access-keys.ts';
import type { ConsoleMetadata } from './console-protocol.ts';
import { listen, trackConnections } from './listening.ts';
import { presentedSecrets, type SecretRedactor } from './redaction.ts';
import type { MetadataOptions } from './types.ts';

/** Huawei's answer when no agency is attached to the instance (a client must not retry it as a token problem). */
export const noAgencyMessage = 'Please configure Cloud Service Agency first';
const maximumTokenTtlSeconds = 21_600;

/** What the metadata stand-in has done, without secrets (`GET /_emulator/metadata`): what the console shows, and the request counters. */
export interface MetadataSnapshot extends ConsoleMetadata {
  metadataTokens: number;
  tokenRequests: number;
  securityKeyRequests: number;
  /** Answers other than 200 (bad TTL, missing token, no agency, unknown route). */
  refusals: number;
}

/** Controls of the metadata stand-in (`emulator.metadata`). */
export interface MetadataControls {
  /** `http://127.0.0.1:PORT`, standing in for `http://169.254.169.254`. */
  readonly url: string;
  /** Every issued temporary key stops working now; the next `securitykey` call issues a fresh one. */
  expireKeys(): void;
  /** One temporary key stops working now (and is not handed out again); false when no such key was issued. */
  revokeKey(accessKeyId: string): boolean;
  /** How many temporary keys were issued. */
  issuedKeys(): number;
  /** Switches the token API on (`PUT …/api/token` works and is required) or off (404, like older instances). */
  setTokenApi(on: boolean): void;
  /** Attaches (true) or detaches (false: `securitykey` answers 401 "Please configure Cloud Service Agency first") the agency. */
  setAgency(on: boolean): void;
  /** Counters and the keys' ids, states and times; never a secret. */
  snapshot(): MetadataSnapshot;
}

/** A running metadata stand-in. */
export interface MetadataService {
  controls: MetadataControls;
  stop(): Promise<void>;
}

/** The metadata options with their defaults; throws a TypeError naming a bad one (before anything listens). */
export function metadataOptions(options: true | MetadataOptions): Required<MetadataOptions> {
  const given = options === true ? {} : options;
  const settings = {
    keyLifetimeMs: given.keyLifetimeMs ?? 3_600_000,
    tokenApi: given.tokenApi ?? true,
    agency: given.agency ?? true,
  };
  if (!Number.isInteger(settings.keyLifetimeMs) || settings.keyLifetimeMs <= 0) {
    throw new TypeError(
      `startEmulator: option metadata.keyLifetimeMs must be a positive integer; got ${String(given.keyLifetimeMs)}`,
    );
  }
  for (const name of ['tokenApi', 'agency'] as const) {
    if (typeof settings[name] !== 'boolean') {
      throw new TypeError(`startEmulator: option metadata.${name} must be true or false.`);
    }
  }
  return settings;
}

/**
 * Starts the ECS/CCE metadata stand-in on `host` (a free port): the routes
 * Huawei's SDKs call to get the instance agency's temporary keys
 * (spec/API-NOTES.md §6). Keys it issues go into `keys`, so the report
 * routes accept them; times follow the emulator's clock `nowMs`.
 */
export async function startMetadataService(parameters: {
  host: string;
  settings: Required<MetadataOptions>;
  keys: AccessKeyRegistry;
  nowMs: () => number;
  /** Learns the metadata tokens; removes secrets from what the stand-in echoes. */
  secrets: SecretRedactor;
}): Promise<MetadataService> {
  const { keys, nowMs, secrets } = parameters;
  const lifetimeMs = parameters.settings.keyLifetimeMs;
  let { tokenApi, agency } = parameters.settings;
  const metadataTokens = new Map<string, number>();
  const counters = { tokenRequests: 0, securityKeyRequests: 0, refusals: 0 };
  let issued = 0;
  let current: TemporaryAccessKey | undefined;

  /** The current key until 1/6 of its life before expiry (10 min of an hour), then a new one. */
  function currentKey(): TemporaryAccessKey {
    const now = nowMs();
    if (
      current === undefined ||
      !keys.find(current.id, now).found ||
      now >= current.expiresAtMs - lifetimeMs / 6
    ) {
      current = {
        ...generateAccessKey(),
        securityToken: generateSecurityToken(),
        issuedAtMs: now,
        expiresAtMs: now + lifetimeMs,
      };
      keys.addTemporary(current);
      issued += 1;
    }
    return current;
  }

  /** The answer to one metadata request: a status and a text (the token) or JSON body. */
  function answer(request: IncomingMessage): [number, string | Record<string, unknown>] {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path === '/meta-data/latest/api/token' && tokenApi) {
      counters.tokenRequests += 1;
      if (request.method !== 'PUT') return [405, { error: 'Use PUT.' }];
      const ttl = request.headers['x-metadata-token-ttl-seconds'];
      const seconds = typeof ttl === 'string' && /^\d+$/.test(ttl) ? Number(ttl) : 0;
      if (seconds < 1 || seconds > maximumTokenTtlSeconds) {
        const error = `X-Metadata-Token-Ttl-Seconds must be an integer from 1 to ${maximumTokenTtlSeconds}.`;
        return [400, { error }];
      }
      const now = nowMs();
      for (const [token, expiresAtMs] of metadataTokens) {
        if (now >= expiresAtMs) {
          metadataTokens.delete(token);
          secrets.remove(token);
        }
      }
      const token = randomBytes(36).toString('base64url');
      metadataTokens.set(token, now + seconds * 1000);
      secrets.add(token, true);
      return [200, token];
    }
    if (path === '/openstack/latest/securitykey') {
      counters.securityKeyRequests += 1;
      if (request.method !== 'GET') return [405, { error: 'Use GET.' }];
      if (!agency) return [401, { error: noAgencyMessage }];
      if (tokenApi) {
        const token = request.headers['x-metadata-token'];
        const expiresAtMs = typeof token === 'string' ? metadataTokens.get(token) : undefined;
        if (expiresAtMs === undefined || nowMs() >= expiresAtMs) {
          const error =
            'The X-Metadata-Token is missing, unknown or expired; get one with PUT /meta-data/latest/api/token.';
          return [401, { error }];
        }
      }
      const key = currentKey();
      const credential = {
        access: key.id,
        secret: key.secret,
        securitytoken: key.securityToken,
        expires_at: new Date(key.expiresAtMs).toISOString(),
      };
      return [200, { credential }];
    }
    const shown = secrets.redact(path, presentedSecrets(request.headers));
    return [404, { error: `No such metadata route: ${request.method} ${shown}` }];
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    const [status, body] = answer(request);
    if (status !== 200) counters.refusals += 1;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const contentType = typeof body === 'string' ? 'text/plain' : 'application/json';
    response.writeHead(status, { 'content-type': contentType });
    response.end(text);
  }

  const server: Server = createServer(handle);
  const sockets = trackConnections(server);
  const url = `http://${await listen(server, 0, parameters.host)}`;

  const controls: MetadataControls = {
    url,
    expireKeys: () => {
      keys.endAll('expired');
      current = undefined;
    },
    revokeKey: (accessKeyId) => {
      if (current?.id === accessKeyId) current = undefined;
      return keys.end(accessKeyId, 'revoked');
    },
    issuedKeys: () => issued,
    setTokenApi: (on) => {
      tokenApi = on;
    },
    setAgency: (on) => {
      agency = on;
    },
    snapshot: () => {
      const now = nowMs();
      const summaries = keys.temporaryKeys(now);
      const live = current !== undefined && keys.find(current.id, now).found ? current : undefined;
      return {
        url,
        tokenApi,
        agency,
        keyLifetimeMs: lifetimeMs,
        issuedKeys: issued,
        activeKeys: summaries.filter((key) => key.state === 'active').length,
        currentKey:
          live === undefined
            ? null
            : { accessKeyId: live.id, expiresAt: new Date(live.expiresAtMs).toISOString() },
        metadataTokens: [...metadataTokens.values()].filter((expiresAtMs) => now < expiresAtMs)
          .length,
        ...counters,
        keys: summaries,
      };
    },
  };
  let stopping: Promise<void> | undefined;
  return {
    controls,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopping;
    },
  };
}

/**
 * Applies `POST /_emulator/metadata`: `{ "expireKeys": true }`,
 * `{ "revoke": "<AK>" }`, `{ "tokenApi": false }`, `{ "agency": false }`
 * (any combination). Throws a TypeError naming a bad field, applying nothing.
 */
export function applyMetadataControl(controls: MetadataControls, input: unknown): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('The metadata control must be a JSON object.');
  }
  const known = ['expireKeys', 'revoke', 'tokenApi', 'agency'];
  const description = input as Record<string, unknown>;
  for (const key of Object.keys(description)) {
    if (!known.includes(key)) {
      throw new TypeError(`Unknown metadata control "${key}"; expected ${known.join(', ')}.`);
    }
  }
  const { expireKeys, revoke, tokenApi, agency } = description;
  if (expireKeys !== undefined && expireKeys !== true) {
    throw new TypeError('expireKeys must be true.');
  }
  if (revoke !== undefined && (typeof revoke !== 'string' || revoke === '')) {
    throw new TypeError('revoke must be an access key id (a non-empty string).');
  }
  if (
    typeof revoke === 'string' &&
    !controls.snapshot().keys.some((key) => key.accessKeyId === revoke)
  ) {
    throw new TypeError(`revoke: no temporary key ${revoke} was issued.`);
  }
  for (const [name, value] of [
    ['tokenApi', tokenApi],
    ['agency', agency],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(`${name} must be true or false.`);
    }
  }
  if (expireKeys === true) controls.expireKeys();
  if (typeof revoke === 'string') controls.revokeKey(revoke);
  if (typeof tokenApi === 'boolean') controls.setTokenApi(tokenApi);
  if (typeof agency === 'boolean') controls.setAgency(agency);
}
