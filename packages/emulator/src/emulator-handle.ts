import type {
  EmulatorAccessKeyClientOptions,
  EmulatorClientOptions,
  EmulatorClientOptionsOverrides,
  EmulatorEcsMetadataClientOptions,
  EmulatorTokenClientOptions,
  sampleIds,
} from './client-options.ts';
import type { Faults } from './faults.ts';
import type { MetadataControls } from './metadata-service.ts';
import type { RecordFilter } from './store.ts';
import type { AccessKey, EmulatorStats, RequestLogEntry, StoredRecord } from './types.ts';

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` (or `https://`). */
  readonly url: string;
  /**
   * The console, `url` + `/`: a page that shows the records as they arrive,
   * the request log, the counters and fault controls (nothing loaded from
   * elsewhere; it works offline).
   */
  readonly consoleUrl: string;
  /** The CA certificate (PEM) to trust, when the emulator serves HTTPS with a generated certificate. */
  readonly ca: string | undefined;
  /** Sample ids of the right shapes. */
  readonly ids: typeof sampleIds;
  /** A valid, realistic token (accepted also when tokens are checked). */
  readonly token: string;
  /** A permanent access key generated at start, always accepted for signed requests. */
  readonly accessKey: AccessKey;
  /** The region V11-HMAC-SHA256 signatures must name. */
  readonly region: string;
  /** The metadata stand-in's `http://127.0.0.1:PORT` (for `http://169.254.169.254`), when started with `metadata`. */
  readonly metadataUrl: string | undefined;
  /** Controls of the metadata stand-in, when started with `metadata`. */
  readonly metadata: MetadataControls | undefined;
  /**
   * Options for an LTS client (or any logtank adapter) pointed here.
   * `credentials` picks the kind: `'token'` (default), `'access-key'` (the
   * sample key and the region) or `'ecs-metadata'` (the metadata stand-in;
   * throws when it is not running). Other fields override.
   */
  clientOptions(
    overrides?: EmulatorClientOptionsOverrides & { credentials?: 'token' },
  ): EmulatorTokenClientOptions;
  clientOptions(
    overrides: EmulatorClientOptionsOverrides & { credentials: 'access-key' },
  ): EmulatorAccessKeyClientOptions;
  clientOptions(
    overrides: EmulatorClientOptionsOverrides & { credentials: 'ecs-metadata' },
  ): EmulatorEcsMetadataClientOptions;
  clientOptions(overrides?: EmulatorClientOptionsOverrides): EmulatorClientOptions;
  /** Accepted records in arrival order (a copy). */
  records(filter?: RecordFilter): StoredRecord[];
  /** Every request answered so far. */
  requests(): RequestLogEntry[];
  stats(): EmulatorStats;
  /** Forgets records, requests and counters (not faults, tokens or keys). */
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
  /** Closes the server(s) and every connection (hanging ones too). Idempotent. */
  stop(): Promise<void>;
}
