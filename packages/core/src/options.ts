import { defaults } from './defaults.ts';
import { LtsOptionsError } from './errors.ts';
import type {
  DropEvent,
  Fallback,
  IamOptions,
  LtsApi,
  LtsClientOptions,
  OverflowPolicy,
  RateLimitOptions,
  RetryOptions,
  SpoolOptions,
  TlsOptions,
  TokenProvider,
} from './types.ts';

/** Where the token comes from, after validation. */
export type TokenSourceOptions =
  | { kind: 'static'; token: string }
  | { kind: 'provider'; provider: TokenProvider }
  | { kind: 'iam'; iam: ResolvedIamOptions };

/** IAM settings after defaults. */
export interface ResolvedIamOptions {
  endpoint: URL;
  domainName: string;
  userName: string;
  password: string;
  scope: { id: string } | { name: string };
  renewBeforeExpiryMs: number;
}

/** TLS connect options handed to undici. */
export interface ResolvedTlsOptions {
  ca: Array<string | Buffer> | undefined;
  servername: string | undefined;
  rejectUnauthorized: boolean;
}

/** Every option, validated and with its default. */
export interface ResolvedOptions {
  endpoint: URL;
  /** The report path, without the origin. */
  reportPath: string;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
  token: TokenSourceOptions;
  labels: Record<string, string>;
  api: LtsApi;
  compression: 'none' | 'gzip';
  maxBatchRecords: number;
  maxBatchBytes: number;
  lingerMs: number;
  maxBufferBytes: number;
  overflow: OverflowPolicy;
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  maxConcurrency: number;
  closeTimeoutMs: number;
  rateLimit: { requestsPerSecond: number; bytesPerSecond: number };
  tls: ResolvedTlsOptions;
  maxLabelSets: number;
  onError: ((error: Error) => void) | undefined;
  onDrop: ((event: DropEvent) => void) | undefined;
  spool: { directory: string; maxBytes: number } | undefined;
  fallback: Exclude<Fallback, 'none'> | undefined;
}

/** The names of every client option: adapters use it to tell their own options from the client's. */
export const clientOptionNames = [
  'endpoint',
  'projectId',
  'logGroupId',
  'logStreamId',
  'token',
  'tokenProvider',
  'iam',
  'labels',
  'api',
  'compression',
  'maxBatchRecords',
  'maxBatchBytes',
  'lingerMs',
  'maxBufferBytes',
  'overflow',
  'retry',
  'timeoutMs',
  'maxConcurrency',
  'closeTimeoutMs',
  'rateLimit',
  'tls',
  'maxLabelSets',
  'onError',
  'onDrop',
  'spool',
  'fallback',
] as const satisfies ReadonlyArray<keyof LtsClientOptions>;

const knownOptions = new Set<string>(clientOptionNames);

/** The environment variables that fill in what the options leave out. */
const environmentNames = {
  endpoint: 'LTS_ENDPOINT',
  projectId: 'LTS_PROJECT_ID',
  logGroupId: 'LTS_LOG_GROUP_ID',
  logStreamId: 'LTS_LOG_STREAM_ID',
  token: 'LTS_TOKEN',
} as const;

/**
 * Validates the options once, fills in environment variables and defaults.
 * Throws {@link LtsOptionsError} naming the first bad field. Secrets are never echoed.
 */
export function resolveOptions(
  options: LtsClientOptions = {},
  environment: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (!isPlainObject(options)) {
    throw new LtsOptionsError('object', `must be an object; got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!knownOptions.has(name)) {
      const suggestion = closestName(name);
      throw new LtsOptionsError(
        name,
        `is not a logtank option${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
    }
  }

  const endpoint = parseEndpoint(
    'endpoint',
    fromEnvironment(options.endpoint, environment, 'endpoint'),
  );
  const projectId = requireId(
    'projectId',
    fromEnvironment(options.projectId, environment, 'projectId'),
    /^[A-Za-z0-9]{32}$/,
    'the 32-character project id (letters and digits)',
  );
  const logGroupId = requireId(
    'logGroupId',
    fromEnvironment(options.logGroupId, environment, 'logGroupId'),
    /^[A-Za-z0-9-]{36}$/,
    'the 36-character log group id (letters, digits and dashes)',
  );
  const logStreamId = requireId(
    'logStreamId',
    fromEnvironment(options.logStreamId, environment, 'logStreamId'),
    /^[A-Za-z0-9-]{36}$/,
    'the 36-character log stream id (letters, digits and dashes)',
  );

  const api = oneOf('api', options.api, ['standard', 'high-accuracy'] as const, defaults.api);
  const compression = oneOf('compression', options.compression, ['none', 'gzip'] as const, 'none');
  if (compression === 'gzip' && api !== 'high-accuracy') {
    throw new LtsOptionsError(
      'compression',
      "'gzip' needs api: 'high-accuracy' (the standard endpoint takes uncompressed bodies)",
    );
  }

  const maxBatchBytes = integer('maxBatchBytes', options.maxBatchBytes, defaults.maxBatchBytes, {
    min: 1024,
    max: 64 * 1024 * 1024,
  });
  const maxBufferBytes = integer(
    'maxBufferBytes',
    options.maxBufferBytes,
    defaults.maxBufferBytes,
    { min: 1024, max: Number.MAX_SAFE_INTEGER },
  );
  if (maxBufferBytes < maxBatchBytes) {
    throw new LtsOptionsError(
      'maxBufferBytes',
      `must be at least maxBatchBytes (${maxBatchBytes}); got ${maxBufferBytes}`,
    );
  }

  const retryOptions = optionalObject<RetryOptions>('retry', options.retry) ?? {};
  onlyKnownKeys('retry', retryOptions, ['maxAttempts', 'baseDelayMs', 'maxDelayMs']);
  const baseDelayMs = number(
    'retry.baseDelayMs',
    retryOptions.baseDelayMs,
    defaults.retry.baseDelayMs,
    {
      min: 0,
      max: 3_600_000,
    },
  );
  const maxDelayMs = number(
    'retry.maxDelayMs',
    retryOptions.maxDelayMs,
    defaults.retry.maxDelayMs,
    {
      min: 0,
      max: 3_600_000,
    },
  );
  if (maxDelayMs < baseDelayMs) {
    throw new LtsOptionsError(
      'retry.maxDelayMs',
      `must be at least retry.baseDelayMs (${baseDelayMs}); got ${maxDelayMs}`,
    );
  }

  const rateLimitOptions = optionalObject<RateLimitOptions>('rateLimit', options.rateLimit) ?? {};
  onlyKnownKeys('rateLimit', rateLimitOptions, ['requestsPerSecond', 'bytesPerSecond']);

  return {
    endpoint,
    reportPath: `${endpoint.pathname.replace(/\/$/, '')}/v2/${projectId}/lts/groups/${logGroupId}/streams/${logStreamId}/tenant/contents${api === 'high-accuracy' ? '/high-accuracy' : ''}`,
    projectId,
    logGroupId,
    logStreamId,
    token: resolveTokenSource(options, environment, projectId),
    labels: labelsOption('labels', options.labels),
    api,
    compression,
    maxBatchRecords: integer('maxBatchRecords', options.maxBatchRecords, defaults.maxBatchRecords, {
      min: 1,
      max: 1_000_000,
    }),
    maxBatchBytes,
    lingerMs: number('lingerMs', options.lingerMs, defaults.lingerMs, { min: 0, max: 3_600_000 }),
    maxBufferBytes,
    overflow: oneOf(
      'overflow',
      options.overflow,
      ['drop-newest', 'drop-oldest'] as const,
      defaults.overflow,
    ),
    retry: {
      maxAttempts: integer(
        'retry.maxAttempts',
        retryOptions.maxAttempts,
        defaults.retry.maxAttempts,
        {
          min: 1,
          max: 1000,
        },
      ),
      baseDelayMs,
      maxDelayMs,
    },
    timeoutMs: number('timeoutMs', options.timeoutMs, defaults.timeoutMs, {
      min: 1,
      max: 3_600_000,
    }),
    maxConcurrency: integer('maxConcurrency', options.maxConcurrency, defaults.maxConcurrency, {
      min: 1,
      max: 256,
    }),
    closeTimeoutMs: number('closeTimeoutMs', options.closeTimeoutMs, defaults.closeTimeoutMs, {
      min: 0,
      max: 3_600_000,
    }),
    rateLimit: {
      requestsPerSecond: number(
        'rateLimit.requestsPerSecond',
        rateLimitOptions.requestsPerSecond,
        defaults.rateLimit.requestsPerSecond,
        { min: 0.001, max: Number.POSITIVE_INFINITY },
      ),
      bytesPerSecond: number(
        'rateLimit.bytesPerSecond',
        rateLimitOptions.bytesPerSecond,
        defaults.rateLimit.bytesPerSecond,
        { min: 1024, max: Number.POSITIVE_INFINITY },
      ),
    },
    tls: resolveTls(options.tls),
    maxLabelSets: integer('maxLabelSets', options.maxLabelSets, defaults.maxLabelSets, {
      min: 1,
      max: 100_000,
    }),
    onError: optionalFunction('onError', options.onError),
    onDrop: optionalFunction('onDrop', options.onDrop),
    spool: resolveSpool(options.spool),
    fallback: resolveFallback(options.fallback, options.onDrop !== undefined),
  };
}

function resolveSpool(spool: LtsClientOptions['spool']): ResolvedOptions['spool'] {
  const value = optionalObject<SpoolOptions>('spool', spool);
  if (value === undefined) return undefined;
  for (const name of Object.keys(value)) {
    if (name !== 'dir' && name !== 'maxBytes') {
      throw new LtsOptionsError(`spool.${name}`, 'is not a spool option (dir, maxBytes)');
    }
  }
  return {
    directory: requireString('spool.dir', value.dir),
    maxBytes: integer('spool.maxBytes', value.maxBytes, defaults.spoolMaxBytes, {
      min: 1024 * 1024,
      max: Number.MAX_SAFE_INTEGER,
    }),
  };
}

function resolveFallback(value: unknown, hasOnDrop: boolean): ResolvedOptions['fallback'] {
  if (value === undefined) return hasOnDrop ? undefined : 'stderr';
  if (value === 'none') return undefined;
  if (value === 'stderr' || typeof value === 'function')
    return value as ResolvedOptions['fallback'];
  throw new LtsOptionsError(
    'fallback',
    `must be 'stderr', 'none' or a function (contents, reason) => void; got ${describe(value)}`,
  );
}

function resolveTokenSource(
  options: LtsClientOptions,
  environment: NodeJS.ProcessEnv,
  projectId: string,
): TokenSourceOptions {
  const given = (['token', 'tokenProvider', 'iam'] as const).filter(
    (name) => options[name] !== undefined,
  );
  if (given.length > 1) {
    throw new LtsOptionsError(
      given.join(' and '),
      'are exclusive: give one of token, tokenProvider or iam',
    );
  }
  if (options.tokenProvider !== undefined) {
    if (typeof options.tokenProvider !== 'function') {
      throw new LtsOptionsError(
        'tokenProvider',
        `must be a function returning a token (or a promise of one); got ${describe(options.tokenProvider)}`,
      );
    }
    return { kind: 'provider', provider: options.tokenProvider };
  }
  if (options.iam !== undefined) {
    return { kind: 'iam', iam: resolveIam(options.iam, projectId) };
  }
  const token = options.token ?? nonEmpty(environment[environmentNames.token]);
  if (token === undefined) {
    throw new LtsOptionsError(
      'token',
      `is required: give token (or set ${environmentNames.token}), tokenProvider, or iam`,
    );
  }
  if (typeof token !== 'string' || token.length === 0) {
    throw new LtsOptionsError('token', `must be a non-empty string; got ${describeSecret(token)}`);
  }
  if (!isHeaderSafe(token)) {
    throw new LtsOptionsError(
      'token',
      'must not contain spaces, line breaks or control characters (is it quoted or wrapped?)',
    );
  }
  return { kind: 'static', token };
}

function resolveIam(iam: IamOptions, projectId: string): ResolvedIamOptions {
  const value = optionalObject<Partial<IamOptions>>('iam', iam) ?? {};
  for (const name of Object.keys(value)) {
    if (
      ![
        'endpoint',
        'region',
        'domainName',
        'userName',
        'password',
        'projectId',
        'projectName',
      ].includes(name)
    ) {
      throw new LtsOptionsError(`iam.${name}`, 'is not an iam option');
    }
  }
  const domainName = requireString('iam.domainName', value.domainName);
  const userName = requireString('iam.userName', value.userName);
  if (typeof value.password !== 'string' || value.password.length === 0) {
    throw new LtsOptionsError(
      'iam.password',
      `must be a non-empty string; got ${describeSecret(value.password)}`,
    );
  }
  let endpoint: URL;
  if (value.endpoint !== undefined) {
    endpoint = parseEndpoint('iam.endpoint', value.endpoint);
  } else if (value.region !== undefined) {
    const region = requireString('iam.region', value.region);
    if (!/^[a-z0-9-]+$/.test(region)) {
      throw new LtsOptionsError('iam.region', 'must be a region name such as cn-north-4');
    }
    endpoint = new URL(`https://iam.${region}.myhuaweicloud.com`);
  } else {
    endpoint = new URL(defaults.iam.endpoint);
  }
  if (value.projectId !== undefined && value.projectName !== undefined) {
    throw new LtsOptionsError('iam.projectId and iam.projectName', 'are exclusive: give one');
  }
  const scope =
    value.projectName !== undefined
      ? { name: requireString('iam.projectName', value.projectName) }
      : {
          id:
            value.projectId === undefined
              ? projectId
              : requireId(
                  'iam.projectId',
                  value.projectId,
                  /^[A-Za-z0-9]{32}$/,
                  'the 32-character project id',
                ),
        };
  return {
    endpoint,
    domainName,
    userName,
    password: value.password,
    scope,
    renewBeforeExpiryMs: defaults.iam.renewBeforeExpiryMs,
  };
}

function resolveTls(tls: LtsClientOptions['tls']): ResolvedTlsOptions {
  const value = optionalObject<TlsOptions>('tls', tls) ?? {};
  for (const name of Object.keys(value)) {
    if (!['ca', 'servername', 'rejectUnauthorized'].includes(name)) {
      throw new LtsOptionsError(
        `tls.${name}`,
        'is not a tls option (ca, servername, rejectUnauthorized)',
      );
    }
  }
  let ca: Array<string | Buffer> | undefined;
  if (value.ca !== undefined) {
    const list = Array.isArray(value.ca) ? value.ca : [value.ca];
    ca = list.map((entry, index) => {
      if (typeof entry !== 'string' && !Buffer.isBuffer(entry)) {
        throw new LtsOptionsError(
          Array.isArray(value.ca) ? `tls.ca[${index}]` : 'tls.ca',
          `must be a PEM string or Buffer; got ${describe(entry)}`,
        );
      }
      if (!String(entry).includes('-----BEGIN CERTIFICATE-----')) {
        throw new LtsOptionsError(
          Array.isArray(value.ca) ? `tls.ca[${index}]` : 'tls.ca',
          'must be a PEM certificate (-----BEGIN CERTIFICATE-----); read the file first, a path is not enough',
        );
      }
      return entry;
    });
  }
  const servername =
    value.servername === undefined ? undefined : requireString('tls.servername', value.servername);
  if (value.rejectUnauthorized !== undefined && typeof value.rejectUnauthorized !== 'boolean') {
    throw new LtsOptionsError(
      'tls.rejectUnauthorized',
      `must be a boolean; got ${describe(value.rejectUnauthorized)}`,
    );
  }
  return { ca, servername, rejectUnauthorized: value.rejectUnauthorized ?? true };
}

function parseEndpoint(name: string, value: unknown): URL {
  if (value === undefined) {
    throw new LtsOptionsError(
      name,
      name === 'endpoint'
        ? `is required: the LTS access point, e.g. https://192.0.2.10:8102 (or set ${environmentNames.endpoint})`
        : 'is required',
    );
  }
  if (typeof value !== 'string') {
    throw new LtsOptionsError(name, `must be a URL string; got ${describe(value)}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LtsOptionsError(
      name,
      'must be an absolute http:// or https:// URL, e.g. https://192.0.2.10:8102',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LtsOptionsError(name, `must use https: or http:; got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    // The URL is not echoed: it carries a credential.
    throw new LtsOptionsError(
      name,
      'must not contain credentials (user:password@); authenticate with token, tokenProvider or iam',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new LtsOptionsError(name, 'must not have a query string or fragment');
  }
  // new URL() already resolved literal dot segments; reject them and their encoded forms outright.
  if (/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(value.slice(url.origin.length))) {
    throw new LtsOptionsError(
      name,
      'must not contain dot segments or encoded separators in its path',
    );
  }
  return url;
}

function fromEnvironment(
  value: string | undefined,
  environment: NodeJS.ProcessEnv,
  name: keyof typeof environmentNames,
): unknown {
  return value ?? nonEmpty(environment[environmentNames[name]]);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function requireId(name: string, value: unknown, pattern: RegExp, expected: string): string {
  const environmentName = environmentNames[name as keyof typeof environmentNames];
  if (value === undefined) {
    throw new LtsOptionsError(
      name,
      `is required: ${expected}${environmentName ? ` (or set ${environmentName})` : ''}`,
    );
  }
  if (typeof value !== 'string') {
    throw new LtsOptionsError(name, `must be ${expected}; got ${describe(value)}`);
  }
  if (!pattern.test(value)) {
    throw new LtsOptionsError(
      name,
      `must be ${expected}; got ${value.length} characters${/[^A-Za-z0-9-]/.test(value) ? ' including characters outside [A-Za-z0-9-]' : ''}`,
    );
  }
  return value;
}

function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LtsOptionsError(name, `must be a non-empty string; got ${describe(value)}`);
  }
  return value;
}

function labelsOption(name: string, value: unknown): Record<string, string> {
  const labels = optionalObject<Record<string, unknown>>(name, value) ?? {};
  // Prototype-less, so that a label named `__proto__` stays a label.
  const result: Record<string, string> = Object.create(null);
  for (const [key, label] of Object.entries(labels)) {
    if (key.length === 0) {
      throw new LtsOptionsError(name, 'must not have an empty label name');
    }
    if (typeof label !== 'string') {
      throw new LtsOptionsError(`${name}.${key}`, `must be a string; got ${describe(label)}`);
    }
    result[key] = label;
  }
  return result;
}

function oneOf<const T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new LtsOptionsError(
    name,
    `must be one of ${allowed.map((entry) => `'${entry}'`).join(', ')}; got ${describe(value)}`,
  );
}

function number(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number },
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new LtsOptionsError(name, `must be a number; got ${describe(value)}`);
  }
  if (value < range.min || value > range.max) {
    throw new LtsOptionsError(name, `must be between ${range.min} and ${range.max}; got ${value}`);
  }
  return value;
}

function integer(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number },
): number {
  const result = number(name, value, fallback, range);
  if (!Number.isInteger(result)) {
    throw new LtsOptionsError(name, `must be an integer; got ${result}`);
  }
  return result;
}

function optionalObject<T extends object>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    throw new LtsOptionsError(name, `must be an object; got ${describe(value)}`);
  }
  return value as T;
}

/** A typo in a nested option (`retry.maxAttempt`) must not be ignored silently. */
function onlyKnownKeys(name: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new LtsOptionsError(`${name}.${key}`, `is not a ${name} option (${known.join(', ')})`);
    }
  }
}

function optionalFunction<T>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new LtsOptionsError(name, `must be a function; got ${describe(value)}`);
  }
  return value as T;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/** Describes a value by type (and short value for non-secrets) for error messages. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return `a ${typeof value}`;
}

/** Like {@link describe}, but never shows the value. */
function describeSecret(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function closestName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return clientOptionNames.find((candidate) => candidate.toLowerCase() === lower);
}

/**
 * Splits an adapter's options into the client's and the adapter's own, so
 * each side validates only what it knows.
 */
export function splitClientOptions<T extends object>(
  options: T,
): { client: LtsClientOptions; rest: Omit<T, keyof LtsClientOptions> } {
  const client: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options ?? {})) {
    if (knownOptions.has(name)) client[name] = value;
    else rest[name] = value;
  }
  return { client: client as LtsClientOptions, rest: rest as Omit<T, keyof LtsClientOptions> };
}
