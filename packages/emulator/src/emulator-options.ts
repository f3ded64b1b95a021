import { metadataOptions } from './metadata-service.ts';
import { describeKind, isObject, refuseUnknownKeys } from './option-names.ts';
import { checkTlsOptions, type TlsFiles } from './tls.ts';
import type {
  AccessKey,
  EmulatorOptions,
  IamUser,
  MetadataOptions,
  RequestLogEntry,
  TokenSpecification,
} from './types.ts';

const twoDaysNs = 2n * 24n * 3600n * 1_000_000_000n;

/** The options of {@link startEmulator} checked, with defaults filled in. */
export interface ResolvedOptions {
  port: number;
  host: string;
  /** false (HTTP), true (a generated certificate) or your own key and certificate. */
  tls: false | true | TlsFiles;
  /** The tokens given (undefined: any token is accepted). */
  tokens: Array<string | TokenSpecification> | undefined;
  accessKeys: AccessKey[];
  iamUsers: IamUser[] | undefined;
  onRequest: ((entry: RequestLogEntry) => void) | undefined;
  maxBodyBytes: number;
  maxStoredRecords: number;
  iamLifetimeMs: number;
  storeRecords: boolean;
  /** The emulator's clock, epoch ns. */
  now: () => bigint;
  /** The same clock in epoch ms (signature times, temporary keys). */
  nowMs: () => number;
  windowNs: bigint;
  region: string;
  metadata: Required<MetadataOptions> | undefined;
}

/** Every option of {@link EmulatorOptions}, to refuse a misspelt one rather than ignore it. */
const optionNames: readonly (keyof EmulatorOptions)[] = [
  'port',
  'host',
  'tls',
  'tokens',
  'iam',
  'maxBodyBytes',
  'store',
  'maxStoredRecords',
  'now',
  'timeWindowNs',
  'onRequest',
  'accessKeys',
  'region',
  'metadata',
];
const metadataOptionNames: readonly (keyof MetadataOptions)[] = [
  'keyLifetimeMs',
  'tokenApi',
  'agency',
];
const tokenSpecificationNames: readonly (keyof TokenSpecification)[] = [
  'token',
  'expiresAt',
  'maxRequests',
];
const accessKeyNames: readonly (keyof AccessKey)[] = ['id', 'secret'];
const iamNames: readonly string[] = ['tokenLifetimeMs', 'users'];
const iamUserNames: readonly (keyof IamUser)[] = ['domainName', 'userName', 'password'];

/**
 * Checks every option and fills in defaults; throws a TypeError naming a bad
 * option (and what it must be, never its value when it may be a secret)
 * before anything listens.
 */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const given: unknown = options;
  if (!isObject(given)) {
    throw new TypeError(
      `startEmulator: the options must be an object; got ${describeKind(given)}.`,
    );
  }
  refuseUnknownKeys(options, optionNames, '');
  const now = optionalFunction('now', options.now) ?? (() => BigInt(Date.now()) * 1_000_000n);
  const region = options.region ?? 'cn-north-4';
  // The region goes into V11's `Credential=AK/day/region/lts`: a "/" would split it.
  if (typeof region !== 'string' || !/^[A-Za-z0-9-]+$/.test(region)) {
    throw new TypeError('startEmulator: option region must be a region id such as cn-north-4.');
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(
      `startEmulator: option port must be an integer from 0 to 65535 (0: a free port); got ${typeof port === 'number' ? port : describeKind(port)}.`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') {
    throw new TypeError(
      `startEmulator: option host must be an address such as 127.0.0.1, ::1 or localhost; got ${describeKind(host)}.`,
    );
  }
  const windowNs = options.timeWindowNs ?? twoDaysNs;
  if (typeof windowNs !== 'bigint' || windowNs < 0n) {
    throw new TypeError(
      `startEmulator: option timeWindowNs must be a bigint of nanoseconds >= 0n; got ${describeKind(windowNs)}.`,
    );
  }
  const iam = options.iam ?? {};
  if (!isObject(iam)) {
    throw new TypeError(
      `startEmulator: option iam must be an object { tokenLifetimeMs?, users? }; got ${describeKind(iam)}.`,
    );
  }
  refuseUnknownKeys(iam, iamNames, 'iam');
  if (
    options.metadata !== undefined &&
    typeof options.metadata !== 'boolean' &&
    !isObject(options.metadata)
  ) {
    throw new TypeError(
      `startEmulator: option metadata must be true, false or an object { keyLifetimeMs?, tokenApi?, agency? }; got ${describeKind(options.metadata)}.`,
    );
  }
  if (isObject(options.metadata))
    refuseUnknownKeys(options.metadata, metadataOptionNames, 'metadata');
  return {
    port,
    host,
    tls: checkTlsOptions(options.tls),
    tokens: options.tokens === undefined ? undefined : checkTokens(options.tokens),
    accessKeys: checkAccessKeys(options.accessKeys),
    iamUsers: checkIamUsers(iam.users),
    onRequest: optionalFunction('onRequest', options.onRequest),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, 10 * 1024 * 1024),
    maxStoredRecords: positiveInteger(
      'maxStoredRecords',
      options.maxStoredRecords,
      Number.POSITIVE_INFINITY,
    ),
    iamLifetimeMs: positiveInteger(
      'iam.tokenLifetimeMs',
      iam.tokenLifetimeMs as number | undefined,
      24 * 3600 * 1000,
    ),
    storeRecords: optionalBoolean('store', options.store) ?? true,
    now,
    nowMs: () => Number(now() / 1_000_000n),
    windowNs,
    region,
    metadata: options.metadata ? metadataOptions(options.metadata) : undefined,
  };
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
      `startEmulator: option ${name} must be a positive integer; got ${typeof value === 'number' ? value : describeKind(value)}`,
    );
  }
  return value;
}

function optionalBoolean(name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(
    `startEmulator: option ${name} must be true or false; got ${describeKind(value)}.`,
  );
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw new TypeError(
    `startEmulator: option ${name} must be a function; got ${describeKind(value)}.`,
  );
}

/** The items of an array-like option; a string (iterable by characters) is refused. */
function items(name: string, value: unknown, what: string): unknown[] {
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  ) {
    return [...(value as Iterable<unknown>)];
  }
  throw new TypeError(
    `startEmulator: option ${name} must be an array of ${what}; got ${describeKind(value)}.`,
  );
}

/** Each token: a non-empty string, or `{ token, expiresAt?, maxRequests? }`. */
function checkTokens(value: unknown): Array<string | TokenSpecification> {
  return items('tokens', value, 'tokens').map((item, index) => {
    const field = `tokens[${index}]`;
    if (typeof item === 'string') {
      if (item === '') {
        throw new TypeError(
          `startEmulator: option ${field} must be a non-empty token; got an empty string.`,
        );
      }
      return item;
    }
    if (!isObject(item)) {
      throw new TypeError(
        `startEmulator: option ${field} must be a token (a non-empty string) or { token, expiresAt?, maxRequests? }; got ${describeKind(item)}.`,
      );
    }
    refuseUnknownKeys(item, tokenSpecificationNames, field);
    const { token, expiresAt, maxRequests } = item;
    if (typeof token !== 'string' || token === '') {
      throw new TypeError(
        `startEmulator: option ${field}.token must be a non-empty string; got ${describeKind(token)}.`,
      );
    }
    if (
      expiresAt !== undefined &&
      !(expiresAt instanceof Date && !Number.isNaN(expiresAt.getTime())) &&
      !(typeof expiresAt === 'number' && Number.isFinite(expiresAt))
    ) {
      throw new TypeError(
        `startEmulator: option ${field}.expiresAt must be a Date or epoch milliseconds; got ${describeKind(expiresAt)}.`,
      );
    }
    if (
      maxRequests !== undefined &&
      !(typeof maxRequests === 'number' && Number.isInteger(maxRequests) && maxRequests >= 0)
    ) {
      throw new TypeError(
        `startEmulator: option ${field}.maxRequests must be an integer >= 0; got ${typeof maxRequests === 'number' ? maxRequests : describeKind(maxRequests)}.`,
      );
    }
    return item as unknown as TokenSpecification;
  });
}

/** Each access key: `{ id, secret }` and nothing else (the registry checks their shapes). */
function checkAccessKeys(value: unknown): AccessKey[] {
  if (value === undefined) return [];
  return items('accessKeys', value, 'access keys { id, secret }').map((item, index) => {
    const field = `accessKeys[${index}]`;
    if (!isObject(item)) {
      throw new TypeError(
        `startEmulator: option ${field} must be an access key { id, secret }; got ${describeKind(item)}.`,
      );
    }
    refuseUnknownKeys(item, accessKeyNames, field);
    return item as unknown as AccessKey;
  });
}

/** Each IAM user: `{ domainName, userName, password }`, non-empty strings. */
function checkIamUsers(value: unknown): IamUser[] | undefined {
  if (value === undefined) return undefined;
  return items('iam.users', value, 'users { domainName, userName, password }').map(
    (item, index) => {
      const field = `iam.users[${index}]`;
      if (!isObject(item)) {
        throw new TypeError(
          `startEmulator: option ${field} must be { domainName, userName, password }; got ${describeKind(item)}.`,
        );
      }
      refuseUnknownKeys(item, iamUserNames, field);
      for (const name of iamUserNames) {
        if (typeof item[name] !== 'string' || item[name] === '') {
          throw new TypeError(
            `startEmulator: option ${field}.${name} must be a non-empty string; got ${describeKind(item[name])}.`,
          );
        }
      }
      return item as unknown as IamUser;
    },
  );
}
