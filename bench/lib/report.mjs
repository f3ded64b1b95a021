import { readFileSync } from 'node:fs';
import { bestPeer, summarizeCase } from './case-summary.mjs';
import { median } from './median.mjs';
import { evaluateTargets, megabytesPerSecond } from './targets.mjs';

const notesFile = new URL('../NOTES.md', import.meta.url);

const integer = (value) => (value === undefined ? '—' : Math.round(value).toLocaleString('en-US'));
const decimal = (value, digits = 2) => (value === undefined ? '—' : value.toFixed(digits));
const times = (value) => (value === undefined ? '—' : `${value.toFixed(2)}×`);
const sizeName = (bytes) => (bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} B`);

function deliveredCell(summary) {
  if (summary.error !== undefined && summary.delivered === 0) return '**FAILED** (see below)';
  if (summary.role === 'floor') return summary.complete ? 'n/a (/dev/null)' : '**did not finish**';
  if (summary.role === 'ceiling')
    return summary.complete ? 'n/a (discarded)' : '**did not finish**';
  if (summary.complete) return `${integer(summary.delivered)} / ${integer(summary.records)}`;
  return `**LOST ${integer(summary.records - summary.delivered)}** (${integer(summary.delivered)} / ${integer(summary.records)})`;
}

/** Floors and ceilings send nothing to the sink. */
function sinkCpuCell(summary) {
  return summary.role === 'floor' || summary.role === 'ceiling'
    ? 'n/a'
    : decimal(summary.sinkCpuMsPerThousand);
}

function caseTable(summaries) {
  const lines = [
    '| Case | Delivered | Loop µs/record | Wall ms | Delivered rec/s | CPU ms / 1k rec | of which main thread | Sink CPU ms / 1k rec | Peak RSS MB | rec/s vs best peer | CPU vs best peer | Runs |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const summary of summaries) {
    const peer = bestPeer(summaries, summary.framework);
    const rateRatio =
      peer && summary.recordsPerSecond !== undefined
        ? summary.recordsPerSecond / peer.recordsPerSecond
        : undefined;
    const cpuRatio =
      peer && summary.cpuMsPerThousand !== undefined
        ? summary.cpuMsPerThousand / peer.cpuMsPerThousand
        : undefined;
    const name = summary.role === 'ours' ? `**${summary.label}**` : summary.label;
    lines.push(
      `| ${name} | ${deliveredCell(summary)} | ${decimal(summary.loopMicrosecondsPerRecord)} | ${integer(summary.wallMs)} | ${integer(summary.recordsPerSecond)} | ${decimal(summary.cpuMsPerThousand)} | ${decimal(summary.mainThreadCpuMsPerThousand)} | ${sinkCpuCell(summary)} | ${decimal(summary.maxRssMb, 0)} | ${times(rateRatio)} | ${times(cpuRatio)} | ${summary.runs} |`,
    );
  }
  const peers = [...new Set(summaries.map((summary) => summary.framework))]
    .map(
      (framework) =>
        `${framework}: ${bestPeer(summaries, framework)?.label ?? 'none delivered everything'}`,
    )
    .join('; ');
  lines.push(
    '',
    `Best peer (most delivered rec/s among peers that delivered every record): ${peers}.`,
  );
  const problems = summaries.filter(
    (summary) => summary.error || summary.closeError || (!summary.complete && summary.warnings),
  );
  for (const summary of problems) {
    const detail = (summary.error ?? summary.closeError ?? summary.warnings ?? '')
      .split('\n')
      .slice(0, 3)
      .join(' ')
      .slice(0, 300);
    lines.push(`- ${summary.label}: ${detail}`);
  }
  return lines.join('\n');
}

/** `a ÷ b` of two medians, or undefined when one is missing. */
const ratioOf = (numerator, denominator) =>
  numerator === undefined || denominator === undefined ? undefined : numerator / denominator;

/** The paired rounds' rec/s ratios (AK/SK ÷ token, round by round): their median and range, e.g. `0.97× (0.91–1.04)`. */
function roundRatios(token, accessKey) {
  const ratios = [];
  for (let round = 0; round < Math.min(token.runs.length, accessKey.runs.length); round++) {
    const [withToken, withKey] = [token.runs[round], accessKey.runs[round]];
    if (withToken.complete && withKey.complete) ratios.push(withToken.wallMs / withKey.wallMs);
  }
  if (ratios.length === 0) return '—';
  if (ratios.length === 1) return times(ratios[0]);
  return `${times(median(ratios))} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

function credentialsSection(entries, settings) {
  const { records, recordBytes, runs } = settings.credentials;
  const lines = [
    '## AK/SK against token',
    '',
    `Our cases, ${integer(records)} records of ~${sizeName(recordBytes)}, once with a token (\`token\`: an \`X-Auth-Token\` header) and once with an access key (\`accessKey: { id, secret }\`: every attempt signed with SDK-HMAC-SHA256, which hashes the body as sent), the two in turn for each case in each of ${integer(runs)} round(s), the first of the pair alternating; medians. The sink verifies neither credential and answers 200 whatever the auth, so the difference is what signing costs the client. "AK/SK ÷ token" below 1× for rec/s, or above 1× for CPU, is that cost: the ratio of the medians, then the median of the rounds' paired ratios with their range (the noise to read it with).`,
    '',
    '| Case | Delivered (token; AK/SK) | rec/s, token | rec/s, AK/SK | AK/SK ÷ token | paired, by round | CPU ms / 1k rec, token | CPU, AK/SK | AK/SK ÷ token | main thread ms / 1k rec, token | main thread, AK/SK | Runs |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const benchCase of [...new Set(entries.map((entry) => entry.case))]) {
    const entryOf = (credentials) =>
      entries.find((entry) => entry.case === benchCase && entry.credentials === credentials);
    const [token, accessKey] = [entryOf('token'), entryOf('access-key')];
    if (token === undefined || accessKey === undefined) continue;
    const [withToken, withKey] = [summarizeCase(token), summarizeCase(accessKey)];
    const name = withToken.role === 'ours' ? `**${withToken.label}**` : withToken.label;
    lines.push(
      `| ${name} | ${deliveredCell(withToken)}; ${deliveredCell(withKey)} | ${integer(withToken.recordsPerSecond)} | ${integer(withKey.recordsPerSecond)} | ${times(ratioOf(withKey.recordsPerSecond, withToken.recordsPerSecond))} | ${roundRatios(token, accessKey)} | ${decimal(withToken.cpuMsPerThousand)} | ${decimal(withKey.cpuMsPerThousand)} | ${times(ratioOf(withKey.cpuMsPerThousand, withToken.cpuMsPerThousand))} | ${decimal(withToken.mainThreadCpuMsPerThousand)} | ${decimal(withKey.mainThreadCpuMsPerThousand)} | ${withToken.runs} + ${withKey.runs} |`,
    );
  }
  return lines.join('\n');
}

function burstSection(burst, settings) {
  const { records, recordBytes } = settings.burst;
  const lines = [
    '## A sustained burst',
    '',
    `${integer(records)} records of ~${sizeName(recordBytes)} logged as fast as the logger takes them (about ${integer((records * recordBytes) / 1e6)} MB, more than one LTS stream's 100 MB/s and our default 64 MiB buffer absorb at once), with default options, one run each. A transport either delivers them all, holds them in memory, or drops some (ours say so: \`onDrop\`, stderr).`,
    '',
    '| Case | Delivered | Wall ms | Delivered rec/s | CPU ms / 1k rec | Peak RSS MB |',
    '|---|---|--:|--:|--:|--:|',
  ];
  for (const entry of burst) {
    const summary = summarizeCase(entry);
    const name = summary.role === 'ours' ? `**${summary.label}**` : summary.label;
    lines.push(
      `| ${name} | ${deliveredCell(summary)} | ${integer(summary.wallMs)} | ${integer(summary.recordsPerSecond)} | ${decimal(summary.cpuMsPerThousand)} | ${decimal(summary.maxRssMb, 0)} |`,
    );
  }
  return lines.join('\n');
}

function coreSection(core) {
  const encode = core.encode.filter((run) => run.error === undefined);
  const lines = ['## Core alone', ''];
  if (encode.length === 0)
    return [...lines, `Failed: ${core.encode[0]?.error ?? 'no runs'}`].join('\n');
  const records = encode[0].records;
  const contentMb = encode[0].contentBytes / 1e6;
  const row = (label, milliseconds, note) => {
    const seconds = milliseconds / 1000;
    return `| ${label} | ${integer(records / seconds)} | ${decimal(contentMb / seconds, 1)} | ${times(median(encode.map((run) => run.stringifyMs)) / milliseconds)} | ${note} |`;
  };
  const stringifyMs = median(encode.map((run) => run.stringifyMs));
  lines.push(
    `${integer(records)} records of ${integer(encode[0].contentBytes / records)} bytes (pino-style JSON lines), medians of ${encode.length} run(s). "vs JSON.stringify" is records/s relative to the first row (higher is better).`,
    '',
    '| Measure | records/s | MB/s (content) | vs JSON.stringify | What it times |',
    '|---|--:|--:|--:|---|',
    row(
      'JSON.stringify of each record object (reference)',
      stringifyMs,
      'the serialisation every logger pays once per record',
    ),
    row(
      'JSON.stringify of the lines in arrays of 4,096',
      median(encode.map((run) => run.arrayStringifyMs)),
      'the least work of encoding LTS bodies',
    ),
    row(
      'LtsClient send() loop',
      median(encode.map((run) => run.sendMs)),
      "accumulate + batch + encode on the caller's thread, requests overlapping",
    ),
    row(
      'LtsClient send() loop + flush() (all delivered to the sink)',
      median(encode.map((run) => run.totalMs)),
      `${integer(median(encode.map((run) => run.requests)))} requests; CPU ${decimal((median(encode.map((run) => run.cpuMs)) / records) * 1000)} ms / 1k rec`,
    ),
    '',
    '@logtank/core exports no encoder (its index exports the client, options helpers, errors and safeJsonStringify), so encoding is timed through the public client.',
    '',
    '### Into the emulator (one process, @logtank/emulator in its own process)',
    '',
    '| Client settings | Content MB/s | Body MB/s | Requests | Delivered | CPU ms / 1k rec | Peak RSS MB |',
    '|---|--:|--:|--:|--:|--:|--:|',
  );
  for (const { setting, runs } of core.throughput) {
    const valid = runs.filter((run) => run.error === undefined);
    if (valid.length === 0) {
      lines.push(`| ${setting.name} | failed: ${runs[0]?.error ?? ''} | | | | | |`);
      continue;
    }
    const options =
      Object.keys(setting.options).length === 0
        ? 'defaults'
        : `\`${JSON.stringify(setting.options)}\``;
    lines.push(
      `| ${setting.name}: ${options} | ${decimal(median(valid.map(megabytesPerSecond)), 1)} | ${decimal(median(valid.map((run) => run.bodyBytes / 1e6 / (run.totalMs / 1000))), 1)} | ${integer(median(valid.map((run) => run.requests)))} | ${integer(Math.min(...valid.map((run) => run.delivered)))} / ${integer(valid[0].records)} | ${decimal(median(valid.map((run) => (run.cpuMs / run.records) * 1000)))} | ${decimal(median(valid.map((run) => run.maxRssKb / 1024)), 0)} |`,
    );
  }
  lines.push(
    '',
    'MB = 10^6 bytes; content = the record lines, body = request bytes as the emulator counted them; time = first send() to flush() resolved. The emulator only counts (store: false). The default rateLimit (100 MB/s, 500 requests/s: the LTS per-stream limits) applies to the default row.',
  );
  return lines.join('\n');
}

function latencySection(latency, settings) {
  const lines = [
    '## Slow server: event-loop delay and the cost of a logging call',
    '',
    `An app logs ${integer(settings.latency.rate)} records/s (200 B) for ${integer(settings.latency.durationMs)} ms from a 5 ms interval, once against a sink that answers at once and once against one that delays every answer by 500 ms. "Call µs" is the time inside each logging call (mean and p99, measured around every call); event-loop delay is perf_hooks.monitorEventLoopDelay (resolution 1 ms, so ~1 ms is the idle baseline) over the logging period. One run each.`,
    '',
    '| Case | Server | Achieved rec/s | Call µs (mean) | Call µs (p99) | Loop delay p50 ms | p99 ms | max ms | Delivered |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const { case: benchCase, result } of latency) {
    const name = benchCase.role === 'ours' ? `**${benchCase.label}**` : benchCase.label;
    const server = `${integer(result.serverLatencyMs ?? 500)} ms`;
    if (result.error !== undefined) {
      lines.push(
        `| ${name} | ${server} | failed: ${result.error.split('\n')[0].slice(0, 160)} | | | | | | |`,
      );
      continue;
    }
    const delivered =
      benchCase.role === 'floor' || benchCase.role === 'ceiling'
        ? 'n/a'
        : result.delivered >= result.logged
          ? `${integer(result.delivered)} / ${integer(result.logged)}`
          : `**LOST ${integer(result.logged - result.delivered)}** (${integer(result.delivered)} / ${integer(result.logged)})`;
    lines.push(
      `| ${name} | ${server} | ${integer(result.achievedRate)} | ${decimal(result.callMeanMicros, 2)} | ${decimal(result.callP99Micros, 2)} | ${decimal(result.p50Ms, 1)} | ${decimal(result.p99Ms, 1)} | ${decimal(result.maxMs, 1)} | ${delivered} |`,
    );
  }
  return lines.join('\n');
}

function targetsSection(targets, recordBytes) {
  const lines = [
    '## Targets',
    '',
    `From the issue, computed from the ${sizeName(recordBytes)} table and the core tables above. The last column, where given, is the same ratio for a transport that discards every record (the ceiling rows): no transport can pass it.`,
    '',
    '| Target | Measured | Bound | Verdict | The most any transport reaches |',
    '|---|--:|--:|---|---|',
  ];
  for (const target of targets) {
    const verdict =
      target.met === undefined
        ? 'n/a (a number is missing: see the tables)'
        : target.met
          ? 'met'
          : '**missed**';
    const value =
      target.measured === undefined ? '—' : `${target.measured.toFixed(2)}${target.unit}`;
    lines.push(
      `| ${target.text} | ${value} | ${target.comparison} ${target.bound}${target.unit} | ${verdict} | ${target.context ?? ''} |`,
    );
  }
  return lines.join('\n');
}

function notes() {
  try {
    return readFileSync(notesFile, 'utf8')
      .replace(/^# .*\n/, '')
      .trim();
  } catch {
    return '(no NOTES.md)';
  }
}

/** RESULTS.md, from everything run.mjs measured. */
export function renderResults(report) {
  const { machine, settings } = report;
  const bySize = new Map();
  for (const entry of report.cases) {
    const summaries = bySize.get(entry.recordBytes) ?? [];
    summaries.push(summarizeCase(entry));
    bySize.set(entry.recordBytes, summaries);
  }
  const sections = [
    '# Benchmark results',
    '',
    `Generated by \`node run.mjs\` (profile **${report.profile}**) — regenerated on every run, do not edit: hand-written notes go in NOTES.md (copied to the end of this page). What each column means: README.md.`,
    '',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}`,
    `- Node ${machine.node}; run started ${machine.date}; took ${integer(report.durationMs / 1000)} s`,
    `- ${integer(settings.records)} records per case, medians of up to ${settings.runs} run(s), run in rounds (each round runs every case once) (a case that lost records or took over ${integer(settings.repeatBelowMs / 1000)} s is run once); delivery timeout ${integer(settings.deliveryTimeoutMs / 1000)} s, or ${integer(settings.deliveryIdleMs / 1000)} s without a new record at the sink.`,
    '- Every logging loop yields (`await setImmediate`) every 1,000 records, in all cases alike: pino.transport (thread-stream) hands lines to its worker only on setImmediate/flush, so a loop that never yields delivers nothing until it ends, and in-process transports only get their sockets serviced in those gaps.',
    '- All HTTP cases post to the same sink process on 127.0.0.1, which counts the records in each body exactly and answers 200 at once. The sink shares the 2 CPUs with the case process.',
  ];
  for (const [recordBytes, summaries] of bySize) {
    sections.push(
      '',
      `## ${integer(settings.records)} records of ~${sizeName(recordBytes)}`,
      '',
      caseTable(summaries),
    );
  }
  if (report.credentials.length > 0) {
    sections.push('', credentialsSection(report.credentials, settings));
  }
  if (report.burst.length > 0) sections.push('', burstSection(report.burst, settings));
  sections.push('', coreSection(report.core), '', latencySection(report.latency, settings));
  const mainSize = bySize.has(200) ? 200 : [...bySize.keys()][0];
  if (mainSize !== undefined) {
    sections.push('', targetsSection(evaluateTargets(bySize.get(mainSize), report.core), mainSize));
  }
  sections.push('', '## Notes', '', notes(), '');
  return sections.join('\n');
}
