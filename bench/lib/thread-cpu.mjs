import { readFileSync } from 'node:fs';

/**
 * CPU time of the calling thread in ms (user + system), from Linux's
 * /proc/thread-self/stat; undefined elsewhere. process.cpuUsage() counts every
 * thread: set beside it, this shows how much of a case's CPU ran off its main
 * thread (V8 compiling and collecting garbage in the background, a worker).
 * Resolution: one clock tick (10 ms).
 */
export function threadCpuMs() {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
