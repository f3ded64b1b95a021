import { readFileSync } from 'node:fs';

/**
 * CPU time of the calling thread in ms (user + system), from Linux's
 * /proc/thread-self/stat; undefined elsewhere. process.cpuUsage() counts every
 * thread: set beside it, this shows how much of a case's CPU ran off its main
 * thread (V8 compiling and collecting garbage in the background, a worker).
 * Resolution: one clock tick (10 ms).
 */
export function threadCpuMs() {
  return cpuMsFromStat('/proc/thread-self/stat');
}

/**
 * CPU time of another process in ms (user + system, all its threads), from
 * /proc/PID/stat; undefined elsewhere. The harness reads the sink's with it:
 * the work a case makes the receiving server do on the same two cores.
 */
function processCpuMs(pid) {
  return cpuMsFromStat(`/proc/${pid}/stat`);
}

/**
 * Runs `work` (a child process run: `{ result?, error? }`) and, when it
 * returns a result, adds `sinkCpuMs`: the CPU the sink process `sinkPid`
 * spent meanwhile (Linux only; left out elsewhere).
 */
export async function withSinkCpu(sinkPid, work) {
  const before = processCpuMs(sinkPid);
  const outcome = await work();
  const after = processCpuMs(sinkPid);
  if (outcome.result !== undefined && before !== undefined && after !== undefined) {
    outcome.result.sinkCpuMs = after - before;
  }
  return outcome;
}

function cpuMsFromStat(path) {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
