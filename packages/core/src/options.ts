import type { ResolvedBatching } from './batching-options.ts';
import { resolveBatching } from './batching-options.ts';
import { type ResolvedTlsOptions, resolveProxySetting, resolveTls } from './connection-options.ts';
import {
  type CredentialSource,
  credentialOptionNames,
  resolveCredentials,
  resolveRegion,
} from './credential-options.ts';
import {
  type ResolvedFallback,
  type ResolvedSpool,
  resolveFallback,
  resolveSignals,
  resolveSpool,
} from './durability-options.ts';
import {
  type ResolvedDestination,
  type ResolvedRoute,
  resolveDestination,
  resolveRoute,
} from './endpoint-options.ts';
import { LtsOptionsError } from './errors.ts';
import type { ExitSignal } from './exit-signals.ts';
import {
  closestName,
  describe,
  isPlainObject,
  labelsOption,
  optionalFunction,
} from './option-validators.ts';
import { type ChosenProxy, proxyFor } from './proxy-choice.ts';
import type { DropEvent, LtsClientOptions } from './types.ts';

export type { ResolvedTlsOptions } from './connection-options.ts';
export type { CredentialSource, ResolvedIamOptions } from './credential-options.ts';

/**
 * Every option, validated and with its default. Each concern is resolved by
 * its own module: where to write (endpoint-options.ts), credentials
 * (credential-options.ts), batching and limits (batching-options.ts), TLS and
 * proxy (connection-options.ts), spool and fallback (durability-options.ts).
 */
export interface ResolvedOptions extends ResolvedDestination, ResolvedRoute, ResolvedBatching {
  credentials: CredentialSource;
  /** The region (`region` or `HUAWEICLOUD_SDK_REGION`); required by the batch API. */
  region: string | undefined;
  labels: Record<string, string>;
  tls: ResolvedTlsOptions;
  /** The forward proxy for the LTS endpoint, if any. */
  proxy: ChosenProxy | undefined;
  onError: ((error: Error) => unknown) | undefined;
  onDrop: ((event: DropEvent) => unknown) | undefined;
  spool: ResolvedSpool | undefined;
  fallback: ResolvedFallback;
  /** The signals on which the client delivers before the process ends (none in a worker). */
  signals: readonly ExitSignal[];
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
  'signals',
] as const satisfies ReadonlyArray<keyof LtsClientOptions>;

const knownOptions = new Set<string>(clientOptionNames);

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
      const suggestion = closestName(name, clientOptionNames);
      throw new LtsOptionsError(
        name,
        `is not a logtank option${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
    }
  }

  const destination = resolveDestination(options, environment);
  const proxySetting = resolveProxySetting(options.proxy);
  const credentials = resolveCredentials(options, environment, destination.projectId, proxySetting);
  const region = resolveRegion(options.region, environment);
  return {
    ...destination,
    ...resolveRoute(options, destination, credentials, region),
    credentials,
    region,
    labels: labelsOption('labels', options.labels),
    ...resolveBatching(options),
    tls: resolveTls(options.tls),
    proxy: proxyFor(destination.endpoint, proxySetting, environment),
    onError: optionalFunction('onError', options.onError),
    onDrop: optionalFunction('onDrop', options.onDrop),
    spool: resolveSpool(options.spool),
    fallback: resolveFallback(options.fallback, options.onDrop !== undefined),
    signals: resolveSignals(options.signals),
  };
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
