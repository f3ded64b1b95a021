import {
  type CredentialSource,
  credentialEnvironment,
  credentialOptionNames,
  resolveCredentials,
  resolveRegion,
  signsRequests,
} from './credential-options.ts';
import { defaults } from './defaults.ts';
import { LtsOptionsError } from './errors.ts';
import {
  describe,
  integer,
  isPlainObject,
  labelsOption,
  nonEmpty,
  number,
  oneOf,
  onlyKnownKeys,
  optionalFunction,
  optionalObject,
  parseEndpoint,
  requireId,
  requireString,
} from './option-validators.ts';
import { type ProxySetting, parseProxy, proxyFor } from './proxy-choice.ts';
import type {
  DropEvent,
  Fallback,
  LtsApi,
  LtsClientOptions,
  OverflowPolicy,
  RateLimitOptions,
  RetryOptions,
  SpoolOptions,
  TlsOptions,
} from './types.ts';

export type { CredentialSource, ResolvedIamOptions } from './credential-options.ts';

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
  credentials: CredentialSource;
  /** The region (`region` or `HUAWEICLOUD_SDK_REGION`); required by the batch API. */
  region: string | undefined;
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
  /** The forward proxy for the LTS endpoint, if any. */
  proxy: URL | undefined;
  maxLabelSets: number;
  onError: ((error: Error) => unknown) | undefined;
  onDrop: ((event: DropEvent) => unknown) | undefined;
  spool: { directory: string; maxBytes: number } | undefined;
  fallback: Exclude<Fallback, 'none'> | undefined;
}

/** The names of every client option: adapters use it to tell their own options from the client's. */
export const clientOptionNames = [
  'endpoint',
  'projectId',
  'logGroupId',
  'logStreamId',
  ...credentialOptionNames,
  'region',
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
  'proxy',
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
  /** Huawei's SDKs read the project id from here; `LTS_PROJECT_ID` comes first. */
  huaweiProjectId: 'HUAWEICLOUD_SDK_PROJECT_ID',
} as const;

/** The LTS routes, after the endpoint's own path. */
function reportPath(api: LtsApi, projectId: string, logGroupId: string, logStreamId: string) {
  const stream = `lts/groups/${logGroupId}/streams/${logStreamId}/tenant`;
  switch (api) {
    case 'standard':
      return `/v2/${projectId}/${stream}/contents`;
    case 'high-accuracy':
      return `/v2/${projectId}/${stream}/contents/high-accuracy`;
    case 'batch':
      return `/v2/internal/${projectId}/${stream}/batch-contents`;
  }
}

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
    options.endpoint ?? nonEmpty(environment[environmentNames.endpoint]),
    `is required: the LTS access point, e.g. https://192.0.2.10:8102 (or set ${environmentNames.endpoint})`,
  );
  const projectId = requireId(
    'projectId',
    options.projectId ??
      nonEmpty(environment[environmentNames.projectId]) ??
      nonEmpty(environment[environmentNames.huaweiProjectId]),
    /^[A-Za-z0-9]{32}$/,
    'the 32-character project id (letters and digits)',
    `${environmentNames.projectId} or ${environmentNames.huaweiProjectId}`,
  );
  const logGroupId = requireId(
    'logGroupId',
    options.logGroupId ?? nonEmpty(environment[environmentNames.logGroupId]),
    /^[A-Za-z0-9-]{36}$/,
    'the 36-character log group id (letters, digits and dashes)',
    environmentNames.logGroupId,
  );
  const logStreamId = requireId(
    'logStreamId',
    options.logStreamId ?? nonEmpty(environment[environmentNames.logStreamId]),
    /^[A-Za-z0-9-]{36}$/,
    'the 36-character log stream id (letters, digits and dashes)',
    environmentNames.logStreamId,
  );

  const proxySetting: ProxySetting =
    options.proxy === undefined || options.proxy === false
      ? options.proxy
      : parseProxy('proxy', options.proxy);
  const credentials = resolveCredentials(options, environment, projectId, proxySetting);
  const region = resolveRegion(options.region, environment);
  const api = oneOf(
    'api',
    options.api,
    ['standard', 'high-accuracy', 'batch'] as const,
    defaults.api,
  );
  if (api === 'batch') {
    if (!signsRequests(credentials)) {
      throw new LtsOptionsError(
        'api',
        `'batch' (the producer route) is signed with an access key: give accessKey, accessKeyProvider or ecsMetadata (or set ${credentialEnvironment.accessKeyId} and ${credentialEnvironment.accessKeySecret}) instead of a token`,
      );
    }
    if (region === undefined) {
      throw new LtsOptionsError(
        'region',
        `is required by api: 'batch' (its signature is scoped to the region), e.g. 'cn-north-4' (or set ${credentialEnvironment.region})`,
      );
    }
  }
  const compression = oneOf('compression', options.compression, ['none', 'gzip'] as const, 'none');
  if (compression === 'gzip' && api === 'standard') {
    throw new LtsOptionsError(
      'compression',
      "'gzip' needs api: 'high-accuracy' or 'batch' (the standard endpoint takes uncompressed bodies)",
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
    reportPath: `${endpoint.pathname.replace(/\/$/, '')}${reportPath(api, projectId, logGroupId, logStreamId)}`,
    projectId,
    logGroupId,
    logStreamId,
    credentials,
    region,
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
    proxy: proxyFor(endpoint, proxySetting, environment),
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

/** The known name `name` was probably meant to be: the same but for case, or two edits away. */
export function closestName(
  name: string,
  candidates: readonly string[] = clientOptionNames,
): string | undefined {
  const lower = name.toLowerCase();
  return (
    candidates.find((candidate) => candidate.toLowerCase() === lower) ??
    candidates.find((candidate) => editDistance(candidate.toLowerCase(), lower) <= 2)
  );
}

/** Levenshtein distance, for suggestions; names are short. */
function editDistance(left: string, right: string): number {
  if (Math.abs(left.length - right.length) > 2) return 3;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      current[column] = Math.min(
        previous[column]! + 1,
        current[column - 1]! + 1,
        previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[right.length]!;
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
