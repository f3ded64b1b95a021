import { median } from './median.mjs';

/**
 * One case at one record size, reduced to medians over its runs. A case that
 * lost records in any run is `complete: false` and keeps its worst delivery.
 */
export function summarizeCase(entry) {
  const { runs, records } = entry;
  const valid = runs.filter((run) => run.error === undefined);
  const complete =
    valid.length > 0 && valid.length === runs.length && valid.every((run) => run.complete);
  const perRun = (pick) => median(valid.map(pick));
  return {
    name: entry.case.name,
    label: entry.case.label,
    framework: entry.case.framework,
    role: entry.case.role,
    recordBytes: entry.recordBytes,
    records,
    runs: runs.length,
    complete,
    error: runs.find((run) => run.error !== undefined)?.error,
    delivered: valid.length === 0 ? 0 : Math.min(...valid.map((run) => run.delivered)),
    loopMs: perRun((run) => run.loopMs),
    loopMicrosecondsPerRecord: perRun((run) => (run.loopMs * 1000) / records),
    wallMs: perRun((run) => run.wallMs),
    recordsPerSecond: complete ? perRun((run) => (records * 1000) / run.wallMs) : undefined,
    cpuMsPerThousand: perRun((run) => (run.cpuMs * 1000) / records),
    // Linux only (undefined elsewhere).
    mainThreadCpuMsPerThousand: valid.every((run) => run.mainThreadCpuMs !== undefined)
      ? perRun((run) => (run.mainThreadCpuMs * 1000) / records)
      : undefined,
    // The sink's CPU while the case ran (Linux only): what receiving its bodies cost on the shared cores.
    sinkCpuMsPerThousand: valid.every((run) => run.sinkCpuMs !== undefined)
      ? perRun((run) => (run.sinkCpuMs * 1000) / records)
      : undefined,
    maxRssMb: perRun((run) => run.maxRssKb / 1024),
    warnings: valid.map((run) => run.warnings).find((text) => text),
    closeError: valid.map((run) => run.closeError).find((text) => text),
  };
}

/** The peer of `framework` with the most delivered records/s among those that delivered everything. */
export function bestPeer(summaries, framework) {
  let best;
  for (const summary of summaries) {
    if (summary.framework !== framework || summary.role !== 'peer' || !summary.complete) continue;
    if (best === undefined || summary.recordsPerSecond > best.recordsPerSecond) best = summary;
  }
  return best;
}
