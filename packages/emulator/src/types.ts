/** Which report route a request used. */
export type ReportApi = 'standard' | 'high-accuracy';

/** One log line the emulator accepted. */
export interface StoredRecord {
  content: string;
  /** Effective time in epoch ns: `log_time_ns + i` on the standard route, the entry's own time on high-accuracy. */
  timeNs: bigint;
  labels: Record<string, string>;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
  api: ReportApi;
  /** The request that carried it (see {@link RequestLogEntry.id}). */
  requestId: number;
}

/** One request the emulator answered (or deliberately did not). */
export interface RequestLogEntry {
  id: number;
  time: Date;
  method: string;
  /** The path, with the ids shortened for logs. */
  path: string;
  route: 'report' | 'iam' | 'control' | 'unknown';
  api?: ReportApi;
  /** HTTP status sent; 0 when the connection was dropped or the request hangs. */
  status: number;
  /** Records in the body (accepted or not). */
  records: number;
  /** Body bytes as received (compressed when `compressed`). */
  bytes: number;
  compressed: boolean;
  /** A short fingerprint of the X-Auth-Token (never the token itself). */
  tokenId?: string;
  /** The injected fault, if any: e.g. 'status 503', 'hang', 'drop before-body', 'latency 200'. */
  fault?: string;
  /** Whether the records were stored. */
  stored: boolean;
  /** The error message of a refused request. */
  error?: string;
  durationMs: number;
}

/** A forced outcome for the next report request. */
export type FaultOutcome =
  /** Answer with this status and the documented body; `retryAfter` adds a Retry-After header. */
  | { status: number; retryAfter?: string }
  /** Never answer (until the client gives up or the emulator stops). */
  | { hang: true }
  /** Destroy the connection before reading the body (nothing stored), or after storing it. */
  | { drop: 'before-body' | 'after-body' }
  /** Answer normally, after this delay. */
  | { delayMs: number };

/** A token the emulator accepts, optionally only until a time or for a number of requests. */
export interface TokenSpecification {
  token: string;
  expiresAt?: Date | number;
  maxRequests?: number;
}

/** An IAM user the stand-in accepts. */
export interface IamUser {
  domainName: string;
  userName: string;
  password: string;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port to listen on. Default 0 (a free port). */
  port?: number;
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** HTTPS with a certificate from a CA generated at start (`emulator.ca`), or your own key and certificate. */
  tls?: boolean | { key: string; cert: string; ca?: string };
  /** When given, only these tokens (plus `emulator.token` and IAM-issued ones) are accepted. */
  tokens?: Iterable<string | TokenSpecification>;
  /** The IAM stand-in at `POST /v3/auth/tokens`. */
  iam?: { tokenLifetimeMs?: number; users?: IamUser[] };
  /** Largest request body (and decompressed body) in bytes; 413 beyond. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Keep accepted records in memory. Default true; false only counts them. */
  store?: boolean;
  /** Keep at most this many records (oldest evicted and counted). Default unlimited. */
  maxStoredRecords?: number;
  /** The clock for the time-window check, in epoch ns. Default: now. */
  now?: () => bigint;
  /** How far `log_time_ns` may be from now. Default 2 days. */
  timeWindowNs?: bigint;
  /** Called for every request, after it is answered (the CLI logs them). */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** Counters of an emulator. */
export interface EmulatorStats {
  requests: number;
  byStatus: Record<number, number>;
  /** Records accepted (also counted when `store: false`). */
  records: number;
  /** Body bytes of accepted requests. */
  bytes: number;
  /** Records evicted by `maxStoredRecords`. */
  evicted: number;
  /** Records stored by requests whose connection was then dropped without an answer. */
  storedWithoutResponse: number;
  /** Successful logins at the IAM stand-in. */
  iamLogins: number;
}
