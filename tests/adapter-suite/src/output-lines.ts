/** The lines of `output` that start with `prefix`. */
export function linesStartingWith(output: string, prefix: string): string[] {
  return output.split('\n').filter((line) => line.startsWith(prefix));
}

/**
 * The contents core's fallback wrote to stderr for records dropped for
 * `reason` (each as one line `[logtank <reason>] <content>`).
 */
export function fallbackContents(stderr: string, reason: string): string[] {
  const prefix = `[logtank ${reason}] `;
  return linesStartingWith(stderr, prefix).map((line) => line.slice(prefix.length));
}

/**
 * The records the LOGTANK_DROP warnings on stderr account for: those of the
 * reports shown plus those of the summary of the reports held back.
 */
export function recordsInDropWarnings(stderr: string): number {
  let total = 0;
  for (const line of stderr.split('\n')) {
    if (!line.includes('[LOGTANK_DROP]')) continue;
    const shown = /logtank: dropped (\d+) record\(s\)/.exec(line);
    const held = /(\d+) more drop report\(s\) covering (\d+) record\(s\)/.exec(line);
    if (shown) total += Number(shown[1]);
    if (held) total += Number(held[2]);
  }
  return total;
}
