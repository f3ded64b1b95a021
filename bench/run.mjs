/**
 * The benchmark harness: `pnpm bench` (full), `pnpm bench --quick`.
 * Starts the sink, runs every case in its own process, our cases with a
 * token and with AK/SK signing, a sustained burst, core alone, the emulator
 * throughput and the slow-server event-loop test, then writes RESULTS.md
 * (and prints it).
 *
 * Flags: --quick | --smoke, --output FILE (default RESULTS.md), --json FILE,
 * --runs N, --records N, --cases a,b,c, --cpu-prof (profiles of our cases into profiles/),
 * --from-json FILE (render an earlier run's --json again, e.g. after editing NOTES.md;
 * measures nothing).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allCases, caseNamed } from './cases/index.mjs';
import { runChild, startHelper } from './lib/child-process-runner.mjs';
import { credentialKinds, ltsOptionsFor } from './lib/lts-options.mjs';
import { machineDetails } from './lib/machine.mjs';
import { emulatorSettings, profiles } from './lib/profiles.mjs';
import { renderResults } from './lib/report.mjs';
import { sinkLatency, sinkTrim } from './lib/sink-client.mjs';
import { withSinkCpu } from './lib/thread-cpu.mjs';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    output: { type: 'string' },
    json: { type: 'string' },
    runs: { type: 'string' },
    records: { type: 'string' },
    cases: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'from-json': { type: 'string' },
  },
  allowPositionals: true,
});

const profileName = flags.smoke ? 'smoke' : flags.quick ? 'quick' : 'full';
const profile = { ...profiles[profileName] };
if (flags.runs !== undefined) profile.runs = Number(flags.runs);
if (flags.records !== undefined) profile.records = Number(flags.records);
if (flags.cases !== undefined) profile.cases = flags.cases.split(',');
const outputFile = flags.output ?? fileURLToPath(new URL('RESULTS.md', import.meta.url));
const profileDirectory = fileURLToPath(new URL('profiles/', import.meta.url));

const selected = (names) =>
  names === 'all' ? allCases : allCases.filter((candidate) => names.includes(candidate.name));

const log = (line) => process.stderr.write(`${line}\n`);
const benchStartedAt = Date.now();

/** Every package the cases load must be built: fail early with the fix instead of 11 broken cases. */
async function checkBuilt() {
  for (const name of [
    '@logtank/core',
    '@logtank/pino',
    '@logtank/winston',
    '@logtank/log4js',
    '@logtank/emulator',
  ]) {
    try {
      await import(name);
    } catch (error) {
      throw new Error(`${name} cannot be loaded (${error.message}); run \`pnpm build\` first`);
    }
  }
}

/**
 * One run of one case against the sink (`startHelper`'s handle: its URL and
 * process id); `credentials` other than the environment's (a token unless
 * `BENCH_CREDENTIALS` says otherwise) as lib/lts-options.mjs names them.
 */
async function runCase(sink, benchCase, recordBytes, run, records = profile.records, credentials) {
  await sinkTrim(sink.ready.url);
  const variant = credentials === undefined ? '' : `-${credentials}`;
  const execArgv =
    flags['cpu-prof'] && benchCase.role === 'ours'
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${profileDirectory}`,
          `--cpu-prof-name=${benchCase.name}${variant}-${recordBytes}-${run}.cpuprofile`,
        ]
      : [];
  const outcome = await withSinkCpu(sink.pid, () =>
    runChild(
      'case-runner.mjs',
      {
        CASE: benchCase.name,
        SINK_URL: sink.ready.url,
        RECORDS: String(records),
        RECORD_BYTES: String(recordBytes),
        DELIVERY_TIMEOUT_MS: String(profile.deliveryTimeoutMs),
        DELIVERY_IDLE_MS: String(profile.deliveryIdleMs),
        ...(credentials === undefined ? {} : { BENCH_CREDENTIALS: credentials }),
      },
      profile.deliveryTimeoutMs * 2 + 60_000,
      execArgv,
    ),
  );
  const entry = outcome.result ?? {
    case: benchCase.name,
    error: outcome.error,
    complete: false,
    delivered: 0,
  };
  log(
    `${benchCase.name}${variant} ${recordBytes} B run ${run + 1}: ${
      entry.error ??
      `${entry.delivered}/${records} delivered, wall ${Math.round(entry.wallMs)} ms, loop ${Math.round(entry.loopMs)} ms`
    }`,
  );
  return entry;
}

/**
 * Runs in rounds: each round runs every case once, so a slow spell of the
 * (shared) machine falls on several cases rather than on all runs of one,
 * which would skew the ratios between them.
 */
async function runCases(sink) {
  const results = [];
  for (const recordBytes of profile.recordSizes) {
    const entries = selected(profile.cases).map((benchCase) => ({
      case: benchCase,
      recordBytes,
      records: profile.records,
      runs: [],
      done: false,
    }));
    for (let run = 0; run < profile.runs; run++) {
      for (const entry of entries) {
        if (entry.done) continue;
        const result = await runCase(sink, entry.case, recordBytes, run);
        entry.runs.push(result);
        // A case that lost records, or is this slow, is not repeated: a median would not change the verdict.
        if (!result.complete || !(result.wallMs < profile.repeatBelowMs)) entry.done = true;
      }
    }
    for (const { done, ...entry } of entries) results.push(entry);
  }
  return results;
}

/**
 * Our cases with a token and with AK/SK, the two in turn for each case in
 * every round (which goes first alternates by round), so that a slow spell
 * falls on both: what signing every request costs the client.
 */
async function runCredentials(sink) {
  const { records, recordBytes, runs, cases } = profile.credentials;
  const entries = selected(cases).flatMap((benchCase) =>
    credentialKinds.map((credentials) => ({
      case: benchCase,
      credentials,
      recordBytes,
      records,
      runs: [],
    })),
  );
  for (let run = 0; run < runs; run++) {
    for (const benchCase of selected(cases)) {
      const pair = entries.filter((entry) => entry.case === benchCase);
      for (const entry of run % 2 === 0 ? pair : pair.toReversed()) {
        entry.runs.push(
          await runCase(sink, benchCase, recordBytes, run, records, entry.credentials),
        );
      }
    }
  }
  return entries;
}

/** Each burst case once: far more than the buffer and LTS's per-stream rate take at once. */
async function runBurst(sink) {
  const { records, recordBytes, cases } = profile.burst;
  const results = [];
  for (const benchCase of selected(cases)) {
    const result = await runCase(sink, benchCase, recordBytes, 0, records);
    results.push({ case: benchCase, recordBytes, records, runs: [result] });
  }
  return results;
}

async function runCore(sinkUrl) {
  const encode = [];
  for (let run = 0; run < profile.core.runs; run++) {
    const outcome = await runChild(
      'core-runner.mjs',
      {
        MODE: 'encode',
        RECORDS: String(profile.core.records),
        RECORD_BYTES: '200',
        CLIENT_OPTIONS: JSON.stringify(ltsOptionsFor(sinkUrl)),
      },
      120_000,
    );
    encode.push(outcome.result ?? { error: outcome.error });
    log(
      `core encode run ${run + 1}: ${outcome.error ?? `${Math.round(outcome.result.totalMs)} ms`}`,
    );
  }
  const emulator = await startHelper('emulator-process.mjs');
  const throughput = [];
  try {
    for (const setting of emulatorSettings) {
      const runs = [];
      for (let run = 0; run < profile.emulator.runs; run++) {
        const outcome = await runChild(
          'core-runner.mjs',
          {
            MODE: 'emulator',
            RECORDS: String(profile.emulator.records),
            RECORD_BYTES: String(profile.emulator.recordBytes),
            CLIENT_OPTIONS: JSON.stringify({ ...emulator.ready.clientOptions, ...setting.options }),
          },
          180_000,
        );
        runs.push(outcome.result ?? { error: outcome.error });
        log(
          `emulator ${setting.name} run ${run + 1}: ${outcome.error ?? `${Math.round(outcome.result.totalMs)} ms`}`,
        );
      }
      throughput.push({ setting, runs });
    }
  } finally {
    await emulator.stop();
  }
  return { encode, throughput };
}

async function runLatency(sinkUrl) {
  const results = [];
  // The same app against a server that answers at once, then one that takes 500 ms.
  for (const serverLatencyMs of [0, 500]) {
    await sinkLatency(sinkUrl, serverLatencyMs);
    try {
      for (const benchCase of selected(profile.latency.cases)) {
        await sinkTrim(sinkUrl);
        const outcome = await runChild(
          'latency-runner.mjs',
          {
            CASE: benchCase.name,
            SINK_URL: sinkUrl,
            RATE: String(profile.latency.rate),
            DURATION_MS: String(profile.latency.durationMs),
            DELIVERY_TIMEOUT_MS: String(profile.deliveryTimeoutMs),
            SERVER_LATENCY_MS: String(serverLatencyMs),
          },
          profile.deliveryTimeoutMs * 2 + 60_000,
        );
        const entry = outcome.result ?? {
          case: benchCase.name,
          serverLatencyMs,
          error: outcome.error,
        };
        results.push({ case: benchCase, result: entry });
        log(
          `latency ${benchCase.name} (server ${serverLatencyMs} ms): ${entry.error ?? `p99 ${entry.p99Ms.toFixed(1)} ms, call ${entry.callMeanMicros.toFixed(2)} µs`}`,
        );
      }
    } finally {
      await sinkLatency(sinkUrl, 0);
    }
  }
  return results;
}

/** Everything measured in one run: the sink, then each section in turn. */
async function measure() {
  // Taken before measuring: its date is when the run started.
  const machine = machineDetails();
  await checkBuilt();
  const sink = await startHelper('sink-process.mjs');
  try {
    const sinkUrl = sink.ready.url;
    log(`bench (${profileName}): sink at ${sinkUrl}`);
    const cases = await runCases(sink);
    const credentials = await runCredentials(sink);
    const burst = await runBurst(sink);
    const core = await runCore(sinkUrl);
    const latency = await runLatency(sinkUrl);
    return {
      profile: profileName,
      settings: profile,
      machine,
      durationMs: Date.now() - benchStartedAt,
      cases,
      credentials,
      burst,
      core,
      latency,
    };
  } finally {
    await sink.stop();
  }
}

/**
 * An earlier run's report, from its `--json` file, with its cases looked up
 * by name again: the Markdown rendered anew (e.g. with the NOTES.md written
 * after the run), nothing measured.
 */
async function savedReport(file) {
  const saved = JSON.parse(await readFile(file, 'utf8'));
  const withCases = (entries = []) =>
    entries.map((entry) => ({ ...entry, case: caseNamed(entry.case) }));
  return {
    ...saved,
    cases: withCases(saved.cases),
    credentials: withCases(saved.credentials),
    burst: withCases(saved.burst),
    latency: withCases(saved.latency),
  };
}

const fromJson = flags['from-json'];
const report = fromJson === undefined ? await measure() : await savedReport(fromJson);
const markdown = renderResults(report);
await writeFile(outputFile, markdown);
if (flags.json !== undefined && fromJson === undefined) {
  const serialisable = {
    ...report,
    cases: report.cases.map((entry) => ({ ...entry, case: entry.case.name })),
    credentials: report.credentials.map((entry) => ({ ...entry, case: entry.case.name })),
    burst: report.burst.map((entry) => ({ ...entry, case: entry.case.name })),
    latency: report.latency.map((entry) => ({ ...entry, case: entry.case.name })),
  };
  await writeFile(flags.json, JSON.stringify(serialisable, null, 2));
}
process.stdout.write(markdown);
log(
  fromJson === undefined
    ? `wrote ${outputFile} in ${Math.round(report.durationMs / 1000)} s`
    : `wrote ${outputFile} from ${fromJson}`,
);
