/**
 * Paired runs: the given cases, one run of each in turn, repeated, against
 * one sink; prints medians and each case's delivered rec/s relative to the
 * first case. The machine's speed drifts between sessions (±20 % here), so
 * compare cases interleaved in one invocation, not across full runs.
 *
 *   node compare.mjs pino-devnull,pino-discard,pino-logtank --runs 8 [--bytes 1024]
 *
 * `--cpu-prof DIR` profiles every run (`node --cpu-prof`) into
 * DIR/<case>-<bytes>-<run>/, one file per thread. `--node-option FLAG`
 * (repeatable) passes a flag to node in every case's process, e.g.
 * `--node-option=--trace-gc`; `case@FLAG[@FLAG…]` passes flags to one entry
 * only, so that one case runs paired with and without them:
 *
 *   node compare.mjs winston-logtank,winston-logtank@--liftoff-only --runs 7
 *
 * `--credentials access-key` makes our clients sign every request with an
 * AK/SK instead of sending a token (lib/lts-options.mjs; the sink checks
 * neither); `case@credentials=KIND` sets it for one entry, so that token and
 * AK/SK run paired:
 *
 *   node compare.mjs pino-logtank,pino-logtank@credentials=access-key --bytes 1024
 */
import { parseArgs } from 'node:util';
import { caseNamed } from './cases/index.mjs';
import { runChild, startHelper } from './lib/child-process-runner.mjs';
import { credentialKind } from './lib/lts-options.mjs';
import { median } from './lib/median.mjs';
import { withSinkCpu } from './lib/thread-cpu.mjs';

const { values, positionals } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    records: { type: 'string', default: '100000' },
    bytes: { type: 'string', default: '200' },
    'cpu-prof': { type: 'string' },
    'node-option': { type: 'string', multiple: true, default: [] },
    'client-options': { type: 'string', default: '{}' },
    credentials: { type: 'string', default: 'token' },
  },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  process.stderr.write(
    'usage: node compare.mjs case-a,case-b[@--node-flag][@credentials=access-key][,…] [--runs N] [--records N] [--bytes N] [--cpu-prof DIR] [--node-option FLAG]… [--client-options JSON] [--credentials token|access-key]\n',
  );
  process.exit(2);
}
const names = positionals[0].split(',');
/**
 * An entry's case name, its own node flags and its credentials
 * (`case@--flag@--flag@credentials=access-key`): a part that is not a flag
 * is a setting, and `credentials` is the only one.
 */
const entryOf = (name) => {
  const [caseName, ...parts] = name.split('@');
  const flags = parts.filter((part) => part.startsWith('-'));
  let credentials = values.credentials;
  for (const setting of parts.filter((part) => !part.startsWith('-'))) {
    const [key, value] = setting.split('=');
    if (key !== 'credentials') throw new Error(`${name}: unknown setting ${setting}`);
    credentials = value;
  }
  return { caseName, flags, credentials: credentialKind(credentials) };
};
for (const name of names) caseNamed(entryOf(name).caseName); // fails early on a typo
const runs = Number(values.runs);
JSON.parse(values['client-options']); // fails early on a typo

const sink = await startHelper('sink-process.mjs');
const results = new Map(names.map((name) => [name, []]));
try {
  for (let run = 0; run < runs; run++) {
    for (const name of names) {
      const { caseName, flags, credentials } = entryOf(name);
      const outcome = await withSinkCpu(sink.pid, () =>
        runChild(
          'case-runner.mjs',
          {
            CASE: caseName,
            SINK_URL: sink.ready.url,
            RECORDS: values.records,
            RECORD_BYTES: values.bytes,
            DELIVERY_TIMEOUT_MS: '60000',
            BENCH_CLIENT_OPTIONS: values['client-options'],
            BENCH_CREDENTIALS: credentials,
            DELIVERY_IDLE_MS: '12000',
          },
          180_000,
          [
            ...values['node-option'],
            ...flags,
            ...(values['cpu-prof'] === undefined
              ? []
              : // One folder per run: node names each thread's profile itself.
                [
                  '--cpu-prof',
                  `--cpu-prof-dir=${values['cpu-prof']}/${caseName}${flags.join('')}${credentials === 'token' ? '' : `-${credentials}`}-${values.bytes}-${run}`,
                ]),
          ],
        ),
      );
      const result = outcome.result;
      if (result === undefined || !result.complete) {
        const lost =
          result === undefined
            ? ''
            : ` (delivered ${result.delivered.toLocaleString('en-US')} of ${Number(values.records).toLocaleString('en-US')})`;
        process.stderr.write(`${name} run ${run + 1}: ${outcome.error ?? 'incomplete'}${lost}\n`);
        continue;
      }
      results.get(name).push(result);
    }
  }
} finally {
  await sink.stop();
}

const wallOf = (name) => median(results.get(name).map((result) => result.wallMs));
const reference = wallOf(names[0]);
const width = Math.max(24, ...names.map((name) => name.length));
for (const name of names) {
  const done = results.get(name);
  if (done.length === 0) {
    process.stdout.write(`${name}: no complete run\n`);
    continue;
  }
  const wall = wallOf(name);
  const loop = median(done.map((result) => result.loopMs));
  const cpu = median(done.map((result) => result.cpuMs));
  const mainThreadCpu = median(done.map((result) => result.mainThreadCpuMs ?? Number.NaN));
  const sinkCpu = median(done.map((result) => result.sinkCpuMs ?? Number.NaN));
  process.stdout.write(
    `${name.padEnd(width)} loop ${loop.toFixed(0).padStart(5)} ms  wall ${wall.toFixed(0).padStart(6)} ms  cpu ${cpu.toFixed(0).padStart(5)} ms (main thread ${mainThreadCpu.toFixed(0).padStart(5)})  sink cpu ${sinkCpu.toFixed(0).padStart(5)} ms  rec/s vs ${names[0]} ${(reference / wall).toFixed(2)}×  (${done.length} runs: ${done.map((result) => result.wallMs.toFixed(0)).join(' ')})\n`,
  );
}
