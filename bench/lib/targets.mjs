import { median } from './median.mjs';

/**
 * The targets, checked against the measured numbers. Each target:
 * what it says, the measured ratio or value, the bound, and met/missed
 * (`undefined` when a number it needs is missing, e.g. a peer lost records).
 */
export function evaluateTargets(summaries, core) {
  const find = (name) => summaries.find((summary) => summary.name === name);
  const rate = (name) => find(name)?.recordsPerSecond;
  const ratio = (numerator, denominator) =>
    numerator === undefined || denominator === undefined ? undefined : numerator / denominator;
  const fastestPeerLoop = (framework) => {
    const loops = summaries
      .filter(
        (summary) => summary.framework === framework && summary.role === 'peer' && summary.complete,
      )
      .map((summary) => summary.loopMs);
    return loops.length === 0 ? undefined : Math.min(...loops);
  };
  // What a transport that does nothing reaches: no transport can pass it.
  const ceiling = (name, floor, what) => {
    const reached = ratio(rate(name), rate(floor));
    return reached === undefined ? undefined : `${what}: ${reached.toFixed(2)}×`;
  };
  const encode = core.encode.filter((run) => run.error === undefined);
  const encodeRatio = median(encode.map((run) => run.stringifyMs / run.totalMs));
  const bestEmulator = Math.max(
    ...core.throughput.map(
      (entry) => median(entry.runs.filter((run) => !run.error).map(megabytesPerSecond)) ?? 0,
    ),
  );

  const targets = [
    [
      'pino + @logtank/pino delivered rec/s ≥ 2.5× @axiomhq/pino',
      ratio(rate('pino-logtank'), rate('pino-axiom')),
      2.5,
      '≥',
      '×',
    ],
    [
      'pino + @logtank/pino delivered rec/s ≥ pino → /dev/null',
      ratio(rate('pino-logtank'), rate('pino-devnull')),
      1,
      '≥',
      '×',
      ceiling('pino-discard', 'pino-devnull', 'a worker transport that discards'),
    ],
    [
      'pino + @logtank/pino main-thread loop ≤ fastest pino peer',
      ratio(find('pino-logtank')?.loopMs, fastestPeerLoop('pino')),
      1,
      '≤',
      '×',
    ],
    [
      'pino + @logtank/pino CPU/record ≤ 0.5× @axiomhq/pino',
      ratio(find('pino-logtank')?.cpuMsPerThousand, find('pino-axiom')?.cpuMsPerThousand),
      0.5,
      '≤',
      '×',
    ],
    [
      'winston + @logtank/winston rec/s ≥ 3× winston-loki',
      ratio(rate('winston-logtank'), rate('winston-loki')),
      3,
      '≥',
      '×',
    ],
    [
      'winston + @logtank/winston rec/s ≥ 1.5× winston → /dev/null',
      ratio(rate('winston-logtank'), rate('winston-devnull')),
      1.5,
      '≥',
      '×',
      ceiling('winston-discard', 'winston-devnull', 'a transport that discards'),
    ],
    [
      'winston + @logtank/winston CPU/record ≤ 0.3× winston-loki',
      ratio(find('winston-logtank')?.cpuMsPerThousand, find('winston-loki')?.cpuMsPerThousand),
      0.3,
      '≤',
      '×',
    ],
    [
      'winston + @logtank/winston peak RSS ≤ 0.35× winston-loki',
      ratio(find('winston-logtank')?.maxRssMb, find('winston-loki')?.maxRssMb),
      0.35,
      '≤',
      '×',
    ],
    [
      'log4js + @logtank/log4js rec/s ≥ 8× log4js file → /dev/null',
      ratio(rate('log4js-logtank'), rate('log4js-devnull')),
      8,
      '≥',
      '×',
    ],
    [
      'core encode+batch (send loop + flush) ≥ 0.5× JSON.stringify rec/s',
      encodeRatio,
      0.5,
      '≥',
      '×',
    ],
    ['core into the emulator ≥ 100 MB/s (best settings)', bestEmulator, 100, '≥', ' MB/s'],
  ];
  return targets.map(([text, measured, bound, comparison, unit, context]) => ({
    text,
    context,
    measured,
    bound,
    comparison,
    unit,
    met:
      measured === undefined || Number.isNaN(measured)
        ? undefined
        : comparison === '≥'
          ? measured >= bound
          : measured <= bound,
  }));
}

/** Content MB/s (10^6 bytes) a core run pushed, send loop through flush. */
export function megabytesPerSecond(run) {
  return run.contentBytes / 1e6 / (run.totalMs / 1000);
}
