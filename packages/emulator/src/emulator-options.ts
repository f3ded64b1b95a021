import { metadataOptions } from './metadata-service.ts';
import type { EmulatorOptions, MetadataOptions } from './types.ts';

const twoDaysNs = 2n * 24n * 3600n * 1_000_000_000n;

/** The options of {@link startEmulator} with defaults filled in. */
export interface ResolvedOptions {
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

/** Fills in defaults; throws a TypeError naming a bad option before anything listens. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  refuseUnknown(options, optionNames, 'option');
  if (typeof options.metadata === 'object' && options.metadata !== null) {
    refuseUnknown(options.metadata, metadataOptionNames, 'option metadata.');
  }
  const now = options.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  const region = options.region ?? 'cn-north-4';
  // The region goes into V11's `Credential=AK/day/region/lts`: a "/" would split it.
  if (typeof region !== 'string' || !/^[A-Za-z0-9-]+$/.test(region)) {
    throw new TypeError('startEmulator: option region must be a region id such as cn-north-4.');
  }
  return {
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes, 10 * 1024 * 1024),
    maxStoredRecords: positiveInteger(
      'maxStoredRecords',
      options.maxStoredRecords,
      Number.POSITIVE_INFINITY,
    ),
    iamLifetimeMs: positiveInteger(
      'iam.tokenLifetimeMs',
      options.iam?.tokenLifetimeMs,
      24 * 3600 * 1000,
    ),
    storeRecords: options.store ?? true,
    now,
    nowMs: () => Number(now() / 1_000_000n),
    windowNs: options.timeWindowNs ?? twoDaysNs,
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
      `startEmulator: option ${name} must be a positive integer; got ${String(value)}`,
    );
  }
  return value;
}

/** A misspelt option would silently do nothing: name it, and what exists. */
function refuseUnknown(given: object, known: readonly string[], prefix: string): void {
  const unknown = Object.keys(given).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const at = prefix.endsWith('.') ? prefix : `${prefix} `;
  throw new TypeError(
    `startEmulator: unknown ${at}${unknown[0]}; the options are ${known.join(', ')}.`,
  );
}
