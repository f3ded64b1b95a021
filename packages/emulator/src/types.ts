/** Which report route a request used: `batch` is the producer route (`…/tenant/batch-contents`). */
export type ReportApi = 'standard' | 'high-accuracy' | 'batch';

/** How a report request was authenticated. */
export type CredentialKind = 'token' | 'access-key' | 'temporary-key';

/** The two AK/SK signing algorithms: SDK-HMAC-SHA256 on the contents routes, V11-HMAC-SHA256 on the producer route. */
export type SignatureAlgorithm = 'SDK-HMAC-SHA256' | 'V11-HMAC-SHA256';

/** A permanent access key (AK/SK pair). The secret is never logged or echoed. */
export interface AccessKey {
  id: string;
  secret: string;
}

/** The credential a request presented (never the secret itself). */
export interface RequestCredential {
  kind: CredentialKind;
  /** The token's fingerprint (as {@link RequestLogEntry.tokenId}), or the access key id (AK); an AK the emulator does not know shows as its first 4 characters and `****`. */
  id: string;
  /** For signed requests: the algorithm of the Authorization header. */
  algorithm?: SignatureAlgorithm;
}

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
  /** How that request was authenticated. */
  credential: CredentialKind;
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
  /** The credential the request presented, when it presented one (accepted or not). */
  credential?: RequestCredential;
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
  /**
   * HTTPS with a certificate from a CA generated at start (`emulator.ca`), or
   * your own key and certificate: PEM text, as strings or Buffers (the
   * contents of the files, not their paths); `ca` becomes `emulator.ca`.
   */
  tls?: boolean | { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
  /** When given, only these tokens (plus `emulator.token` and IAM-issued ones) are accepted; each a non-empty string or a {@link TokenSpecification}. */
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
  /** Permanent AK/SK pairs accepted for signed requests, besides `emulator.accessKey` (generated at start). */
  accessKeys?: Iterable<AccessKey>;
  /** The region V11-HMAC-SHA256 signatures must name. Default `cn-north-4`. */
  region?: string;
  /** Start the ECS/CCE metadata stand-in (a second, plain-HTTP server) at `emulator.metadataUrl`. */
  metadata?: boolean | MetadataOptions;
}

/** Options of the ECS/CCE metadata stand-in. */
export interface MetadataOptions {
  /** How long a temporary key lives, in ms; a new one is handed out from 1/6 of this before expiry. Default 1 hour. */
  keyLifetimeMs?: number;
  /** Serve `PUT /meta-data/latest/api/token` and require its token. Default true; false answers 404 there, like older instances. */
  tokenApi?: boolean;
  /** An agency is attached to the instance. Default true; false answers 401 "Please configure Cloud Service Agency first". */
  agency?: boolean;
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
  /** Accepted report requests by how they were authenticated. */
  byCredential: Record<CredentialKind, number>;
  /** Report requests refused by the AK/SK signature check (401 `APIGW.0301`). */
  signatureFailures: number;
}
