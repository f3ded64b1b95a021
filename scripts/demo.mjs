#!/usr/bin/env node
// `pnpm demo`: runs the example app of each framework (examples/*-app) and
// shows what LTS received.
//
// With none of the LTS_* (and HUAWEICLOUD_SDK_*) variables set, the apps
// report to an LTS emulator started here, and the demo prints what it stored;
// `--credentials access-key` has them sign with an access key (AK/SK, from
// HUAWEICLOUD_SDK_AK/SK) instead of a token. With a complete set, the apps
// report to that real LTS log stream instead (the demo can only show how each
// app ended; look for the lines in the LTS console).
//
// Exit code: 0 when every app exited 0 (and, with the emulator, every expected
// record arrived), 1 otherwise, 2 when the variables are only partly set or the
// arguments are wrong.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '@logtank/emulator';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each example, with the records its app.mjs logs (the lines below its level are not sent). */
const examples = [
  { framework: 'winston', directory: 'examples/winston-app', expectedRecords: 6 },
  { framework: 'pino', directory: 'examples/pino-app', expectedRecords: 6 },
  { framework: 'log4js', directory: 'examples/log4js-app', expectedRecords: 7 },
];

/** How long one app may take before it is killed (they need 1–2 s). */
const appTimeoutMs = 15_000;
/** What the apps need to reach a real LTS stream: each entry is satisfied by one of its sets of variables. */
const requirements = [
  { name: 'LTS_ENDPOINT', sets: [['LTS_ENDPOINT']] },
  { name: 'LTS_PROJECT_ID', sets: [['LTS_PROJECT_ID'], ['HUAWEICLOUD_SDK_PROJECT_ID']] },
  { name: 'LTS_LOG_GROUP_ID', sets: [['LTS_LOG_GROUP_ID']] },
  { name: 'LTS_LOG_STREAM_ID', sets: [['LTS_LOG_STREAM_ID']] },
  { name: 'LTS_TOKEN', sets: [['LTS_TOKEN'], ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK']] },
];
const environmentNames = [...new Set(requirements.flatMap(({ sets }) => sets.flat()))];
const isSet = (name) => (process.env[name] ?? '') !== '';

let credentials;
try {
  const { values } = parseArgs({
    options: { credentials: { type: 'string', default: 'token' } },
    strict: true,
  });
  credentials = values.credentials;
  if (credentials !== 'token' && credentials !== 'access-key') {
    throw new Error(`--credentials must be token or access-key; got ${credentials}`);
  }
} catch (error) {
  console.error(`${error.message}\nUsage: node scripts/demo.mjs [--credentials token|access-key]`);
  process.exit(2);
}

/** Children still running, killed if the demo itself is interrupted. */
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

const missing = requirements
  .filter(({ sets }) => !sets.some((set) => set.every(isSet)))
  .map(({ name }) => name);
if (missing.length === 0) {
  process.exitCode = await runAgainstRealLts();
} else if (environmentNames.some(isSet)) {
  console.error(
    `LTS_* is only partly set (missing ${missing.join(', ')}; a project id may also come from ` +
      'HUAWEICLOUD_SDK_PROJECT_ID, and credentials from HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK).\n' +
      'Set them all to run the examples against your LTS stream, or none to use the emulator.',
  );
  process.exitCode = 2;
} else {
  process.exitCode = await runAgainstEmulator();
}

async function runAgainstEmulator() {
  const emulator = await startEmulator();
  let failures = 0;
  try {
    const connection = emulator.clientOptions();
    const environment = {
      LTS_ENDPOINT: connection.endpoint,
      LTS_LOG_GROUP_ID: connection.logGroupId,
      LTS_LOG_STREAM_ID: connection.logStreamId,
      // The apps hold no credentials: they come from the environment, as in production.
      ...(credentials === 'access-key'
        ? {
            HUAWEICLOUD_SDK_PROJECT_ID: connection.projectId,
            HUAWEICLOUD_SDK_AK: emulator.accessKey.id,
            HUAWEICLOUD_SDK_SK: emulator.accessKey.secret,
          }
        : { LTS_PROJECT_ID: connection.projectId, LTS_TOKEN: connection.token }),
    };
    console.log(`LTS emulator listening on ${emulator.url}`);
    console.log(
      `Running the examples against it (log stream ${connection.logStreamId}), ${
        credentials === 'access-key'
          ? 'signing with an access key (HUAWEICLOUD_SDK_AK/SK)'
          : 'with a token (LTS_TOKEN)'
      }.\n`,
    );

    for (const example of examples) {
      // The apps run one after the other, so what the emulator stores while one
      // runs is that app's (each app has delivered everything when it exits).
      const recordsBefore = emulator.records().length;
      const requestsBefore = emulator.requests().length;
      const run = await runApp(example, environment);
      const records = emulator.records().slice(recordsBefore);
      const requests = emulator
        .requests()
        .slice(requestsBefore)
        .filter((request) => request.route === 'report');
      if (records.length !== example.expectedRecords) run.problem = 'records are missing';
      if (!run.ok || run.problem) failures++;
      printRun(example, run);
      printReceived(example, records, requests);
      console.log('');
    }
  } finally {
    await emulator.stop();
  }

  console.log(
    failures === 0
      ? 'Every example exited 0 and LTS received all of their records.'
      : `${failures} example(s) failed or lost records.`,
  );
  printRealLtsHowTo();
  return failures === 0 ? 0 : 1;
}

async function runAgainstRealLts() {
  console.log(`LTS_* is set: running the examples against ${process.env.LTS_ENDPOINT}`);
  console.log(`(log stream ${process.env.LTS_LOG_STREAM_ID}); no emulator is started.\n`);
  let failures = 0;
  for (const example of examples) {
    // The apps inherit the LTS_* variables from this process. Only the app
    // knows what it could not deliver: core reports drops on stderr.
    const run = await runApp(example, {});
    const dropsReported = /LOGTANK_DROP|\[logtank [a-z-]+\]|dropped [1-9]/.test(run.stderr);
    if (dropsReported && run.ok) run.problem = 'records were dropped';
    if (!run.ok || dropsReported) failures++;
    printRun(example, run);
    console.log('');
  }
  console.log(
    failures === 0
      ? 'Every example exited 0 with nothing dropped. Find their lines in the LTS console\n' +
          'under the labels app=winston-app, app=pino-app and app=log4js-app.'
      : `${failures} example(s) failed or dropped records; their output is above.`,
  );
  return failures === 0 ? 0 : 1;
}

/** Runs one example's app.mjs with `environment` added, killing it after {@link appTimeoutMs}. */
function runApp(example, environment) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['app.mjs'], {
    cwd: join(root, example.directory),
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, appTimeoutMs);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      stderr += String(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({
        ok: code === 0 && !timedOut,
        code,
        signal,
        timedOut,
        stdout,
        stderr,
        seconds: (performance.now() - startedAt) / 1000,
      });
    });
  });
}

function printRun(example, run) {
  const ending = run.timedOut
    ? `killed after ${appTimeoutMs / 1000} s`
    : run.signal
      ? `ended by ${run.signal}`
      : `exit ${run.code}`;
  const failed = !run.ok || run.problem !== undefined;
  console.log(
    `${failed ? '✘' : '✔'} ${example.framework.padEnd(8)} ${example.directory}/app.mjs  ${ending} in ${run.seconds.toFixed(1)} s` +
      `${run.problem ? `, ${run.problem}` : ''}`,
  );
  const said = run.stdout.trim().split('\n').filter(Boolean).at(-1);
  if (said) console.log(`    app says  ${truncate(said, 150)}`);
  if (failed) {
    const lines = run.stderr.trim().split('\n').filter(Boolean);
    for (const line of lines.slice(0, 12)) console.log(`    stderr    ${truncate(line, 150)}`);
    if (lines.length > 12) console.log(`    stderr    … ${lines.length - 12} more line(s)`);
  }
}

/** What the emulator stored for one app: counts, label sets, samples and time range. */
function printReceived(example, records, requests) {
  const mark = records.length === example.expectedRecords ? '' : '  ✘ MISSING RECORDS';
  const apis = [...new Set(requests.map((request) => request.api ?? 'standard'))].join(', ');
  const refused = requests.filter((request) => request.status >= 300).length;
  const credentialKinds = [...new Set(records.map((record) => record.credential))].join(', ');
  console.log(
    `    records   ${records.length} of ${example.expectedRecords} received${mark}, in ${requests.length} request(s)` +
      `${refused > 0 ? ` (${refused} refused and retried)` : ''}, ${apis || 'no'} API` +
      `${credentialKinds ? `, ${credentialKinds}` : ''}`,
  );

  const labelSets = new Map();
  for (const record of records) {
    const key = Object.entries(record.labels)
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    labelSets.set(key, (labelSets.get(key) ?? 0) + 1);
  }
  console.log(`    labels    ${labelSets.size} set(s)`);
  for (const [key, count] of labelSets) {
    console.log(`      ${String(count).padStart(3)} × {${key}}`);
  }

  if (records.length === 0) return;
  // The first line and the first error-level one, to show both shapes.
  const errorRecord =
    records.find((record) => /^error$/i.test(record.labels.level ?? '')) ?? records.at(-1);
  for (const record of new Set([records[0], errorRecord])) {
    console.log(`    sample    ${truncate(record.content, 150)}`);
  }

  // timeNs is a BigInt, which Math.min/max refuse.
  let first = records[0].timeNs;
  let last = first;
  for (const { timeNs } of records) {
    if (timeNs < first) first = timeNs;
    if (timeNs > last) last = timeNs;
  }
  const spanMs = Number(last - first) / 1e6;
  console.log(
    `    time      ${isoFromNanoseconds(first)} → ${isoFromNanoseconds(last)} (${spanMs.toFixed(3)} ms)`,
  );
}

function printRealLtsHowTo() {
  console.log(`
To send the same logs to your own LTS log stream, set the variables the
examples read (the LTS console shows the access point in the ICAgent install
command; the ids on the log stream's page; the access key is yours, from
My Credentials → Access Keys) and run the demo again:

  export LTS_ENDPOINT=https://<access-point-ip>:8102
  export LTS_LOG_GROUP_ID=<log group id>
  export LTS_LOG_STREAM_ID=<log stream id>
  export HUAWEICLOUD_SDK_PROJECT_ID=<32-character project id>
  export HUAWEICLOUD_SDK_AK=<access key id> HUAWEICLOUD_SDK_SK=<secret access key>
  pnpm demo

(LTS_PROJECT_ID and LTS_TOKEN, an IAM token, work too.)

With them set, any example also runs by itself: cd examples/pino-app && node app.mjs`);
}

/** ISO 8601 with all nine fraction digits (timeNs is exact; a Date keeps only milliseconds). */
function isoFromNanoseconds(timeNs) {
  const milliseconds = timeNs / 1_000_000n;
  const iso = new Date(Number(milliseconds)).toISOString();
  const fraction = String(timeNs % 1_000_000_000n).padStart(9, '0');
  return `${iso.slice(0, 19)}.${fraction}Z`;
}

function truncate(text, length) {
  const oneLine = text.replace(/\n/g, '\\n');
  return oneLine.length > length ? `${oneLine.slice(0, length - 1)}…` : oneLine;
}
