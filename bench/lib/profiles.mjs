/**
 * The burst: our cases and the peers that deliver everything at 100,000
 * records (logstash-http, one request per record, would take minutes).
 */
const burstCases = [
  'pino-logtank',
  'pino-loki-unbounded',
  'pino-axiom',
  'winston-logtank',
  'winston-loki',
  'log4js-logtank',
];

/** Ours, for the AK/SK against token section. */
const oursCases = ['pino-logtank', 'winston-logtank', 'log4js-logtank'];

/** How much each kind of run measures. `pnpm bench` is `full`. */
export const profiles = {
  full: {
    records: 100_000,
    recordSizes: [200, 1024],
    runs: 3,
    cases: 'all',
    core: { records: 100_000, runs: 3 },
    emulator: { records: 100_000, recordBytes: 1024, runs: 3 },
    latency: { durationMs: 3000, rate: 10_000, cases: 'all' },
    // 1 KiB: signing hashes every body, so the larger size shows its cost. Paired by round.
    credentials: { records: 100_000, recordBytes: 1024, runs: 5, cases: oursCases },
    // ~300 MB at full speed: longer than one LTS stream's 100 MB/s and its 64 MiB buffer absorb.
    burst: { records: 300_000, recordBytes: 1024, cases: burstCases },
    deliveryTimeoutMs: 60_000,
    deliveryIdleMs: 12_000,
    // A case slower than this (or one that lost records) is not repeated: a median would not change the verdict.
    repeatBelowMs: 20_000,
  },
  quick: {
    records: 20_000,
    recordSizes: [200, 1024],
    runs: 1,
    cases: 'all',
    core: { records: 20_000, runs: 1 },
    emulator: { records: 30_000, recordBytes: 1024, runs: 1 },
    latency: { durationMs: 1000, rate: 10_000, cases: 'all' },
    credentials: { records: 20_000, recordBytes: 1024, runs: 2, cases: oursCases },
    burst: { records: 100_000, recordBytes: 1024, cases: burstCases },
    deliveryTimeoutMs: 30_000,
    deliveryIdleMs: 8000,
    repeatBelowMs: 20_000,
  },
  smoke: {
    records: 2000,
    recordSizes: [200],
    runs: 1,
    cases: [
      'pino-devnull',
      'pino-discard',
      'pino-logtank',
      'winston-devnull',
      'winston-discard',
      'winston-logtank',
      'log4js-devnull',
      'log4js-logtank',
    ],
    core: { records: 2000, runs: 1 },
    emulator: { records: 2000, recordBytes: 1024, runs: 1 },
    latency: { durationMs: 300, rate: 2000, cases: oursCases },
    credentials: { records: 2000, recordBytes: 1024, runs: 1, cases: oursCases },
    burst: { records: 3000, recordBytes: 1024, cases: oursCases },
    deliveryTimeoutMs: 15_000,
    deliveryIdleMs: 8000,
    repeatBelowMs: 20_000,
  },
};

/** Client options for the emulator throughput test: the defaults, and tuned for one big stream. */
export const emulatorSettings = [
  { name: 'default', options: {} },
  {
    name: 'tuned',
    options: {
      maxBatchBytes: 4 * 1024 * 1024,
      maxBatchRecords: 16_384,
      maxConcurrency: 8,
      maxBufferBytes: 256 * 1024 * 1024,
      // The default limits are the LTS per-stream limits (100 MB/s, 500 requests/s): lifted here to find the ceiling.
      rateLimit: { requestsPerSecond: 100_000, bytesPerSecond: 10 * 1024 ** 3 },
    },
  },
];
