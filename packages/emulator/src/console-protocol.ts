/**
 * What the console page and the emulator say to each other over
 * `GET /_emulator/events` (server-sent events). Types only, without imports,
 * so the page's code (built for the browser) can share them.
 *
 * Events, each `event: <name>` with one JSON `data:` line:
 * - `snapshot` ({@link ConsoleSnapshot}): first, and again after `clear()`;
 * - `records` ({@link ConsoleRecordsEvent}): new records matching the stream's filter;
 * - `requests` ({@link ConsoleRequestsEvent}): new requests (not the control API's);
 * - `counters` ({@link ConsoleCounters}): every second;
 * - `controls` ({@link ConsoleControls}): when faults, tokens or the metadata stand-in change;
 * - `stopped` (`{}`): the emulator is stopping; the stream then ends.
 */

/** The path of the event stream; query `filter` (see the README) and `limit` (newest records sent, 1 to 5,000). */
export const consoleEventsPath = '/_emulator/events';

/** Records in a snapshot when the page does not say (`limit`). */
export const defaultConsoleLimit = 500;

/** Content longer than this many characters is cut in the console (the record keeps all of it). */
export const consoleContentLimit = 16_384;

/** A stored record as the console receives it. */
export interface ConsoleRecord {
  /** 1, 2, …: arrival order, never reused. */
  sequence: number;
  /** Epoch nanoseconds as a string of digits (exact). */
  timeNs: string;
  labels: Record<string, string>;
  api: 'standard' | 'high-accuracy' | 'batch';
  credential: 'token' | 'access-key' | 'temporary-key';
  /** The content, cut at {@link consoleContentLimit} characters. */
  content: string;
  /** The content's full length in characters, when it was cut. */
  contentLength?: number;
  requestId: number;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
}

/** A request log entry as the console receives it (fingerprints and AKs only, never a secret). */
export interface ConsoleRequest {
  id: number;
  /** ISO time. */
  time: string;
  method: string;
  path: string;
  route: 'report' | 'iam' | 'control' | 'unknown';
  api?: 'standard' | 'high-accuracy' | 'batch';
  status: number;
  records: number;
  bytes: number;
  compressed: boolean;
  tokenId?: string;
  credential?: { kind: 'token' | 'access-key' | 'temporary-key'; id: string; algorithm?: string };
  fault?: string;
  stored: boolean;
  error?: string;
  durationMs: number;
}

/** The counters the console shows. */
export interface ConsoleCounters {
  /** Records accepted since start or the last clear. */
  records: number;
  /** Records stored now (accepted minus evicted). */
  stored: number;
  evicted: number;
  /** Requests (not the control API's) since start or the last clear. */
  requests: number;
  byStatus: Record<string, number>;
  /** Body bytes of accepted requests. */
  bytes: number;
  /** Distinct label sets among the stored records. */
  labelSets: number;
  /** Records accepted per second over the last few seconds. */
  recordsPerSecond: number;
}

/** A failure rate as the control API describes it. */
export interface ConsoleFailureRate {
  status: number;
  probability: number;
  api?: string;
}

/** The active faults, as `GET /_emulator/faults` answers. */
export interface ConsoleFaults {
  queue: Array<Record<string, unknown>>;
  failureRates: ConsoleFailureRate[];
  latencyMs: number;
  hangRemaining: number | 'all';
  drops: { when: string; remaining: number | 'all' } | undefined;
}

/** A temporary key of the metadata stand-in, by id (never the secret). */
export interface ConsoleTemporaryKey {
  accessKeyId: string;
  issuedAt: string;
  expiresAt: string;
  state: 'active' | 'expired' | 'revoked';
}

/** The metadata stand-in, as `GET /_emulator/metadata` answers (never a secret). */
export interface ConsoleMetadata {
  url: string;
  tokenApi: boolean;
  agency: boolean;
  keyLifetimeMs: number;
  /** Temporary keys issued so far. */
  issuedKeys: number;
  /** Issued keys that still work. */
  activeKeys: number;
  /** The key `securitykey` hands out now (it may be replaced on the next call), or null. */
  currentKey: { accessKeyId: string; expiresAt: string } | null;
  keys: ConsoleTemporaryKey[];
}

/** What the fault controls act on. */
export interface ConsoleControls {
  faults: ConsoleFaults;
  /** Known tokens by fingerprint. */
  tokens: Array<{ tokenId: string; expired: boolean }>;
  /** `null` when the metadata stand-in is not running. */
  metadata: ConsoleMetadata | null;
}

/** The first event of a stream (and the one after `clear()`). */
export interface ConsoleSnapshot {
  /** The filter the stream applies, as given. */
  filter: string;
  limit: number;
  /** The newest `limit` matching records, newest first. */
  records: ConsoleRecord[];
  /** How many stored records match the filter. */
  matched: number;
  /** The newest requests (up to 200, not the control API's), newest first. */
  requests: ConsoleRequest[];
  counters: ConsoleCounters;
  controls: ConsoleControls;
}

/** New records matching the stream's filter, newest first (at most `limit` of them). */
export interface ConsoleRecordsEvent {
  records: ConsoleRecord[];
  /** How many stored records match the filter now. */
  matched: number;
}

/** New requests, newest first (at most 200 of them). */
export interface ConsoleRequestsEvent {
  requests: ConsoleRequest[];
}
