/** How the console writes times, sizes and names. */

const nanosecondsPerSecond = 1_000_000_000n;

/** `2025-11-24 16:00:00.123456789`: UTC, every nanosecond digit kept (the time arrives as a string of digits). */
export function formatTimeNs(timeNs: string): string {
  const nanoseconds = BigInt(timeNs);
  const seconds = nanoseconds / nanosecondsPerSecond;
  const fraction = (nanoseconds % nanosecondsPerSecond).toString().padStart(9, '0');
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}

/** The same time for a `<time datetime>` attribute (milliseconds, the most HTML allows). */
export function isoTimeNs(timeNs: string): string {
  return new Date(Number(BigInt(timeNs) / 1_000_000n)).toISOString();
}

/** `16:00:00.123` (UTC) of an ISO time. */
export function formatClock(iso: string): string {
  return iso.slice(11, 23);
}

const counts = new Intl.NumberFormat('en-US');

/** `12,345`. */
export function formatCount(value: number): string {
  return counts.format(value);
}

/** `1.2 MB`, `340 B`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** `12.5`, `1,200`. */
export function formatRate(perSecond: number): string {
  return perSecond < 100 ? perSecond.toFixed(1) : counts.format(Math.round(perSecond));
}

const credentialNames: Record<string, string> = {
  token: 'token',
  'access-key': 'access key',
  'temporary-key': 'temporary key',
};

/** `token`, `access key`, `temporary key`. */
export function credentialName(kind: string): string {
  return credentialNames[kind] ?? kind;
}

/** `200`, or what happened to a request that got no answer. */
export function statusText(status: number, fault: string | undefined): string {
  if (status !== 0) return String(status);
  return fault === undefined ? 'no answer' : `no answer (${fault})`;
}

/** The colour class of a status: ok, client error, server error, no answer. */
export function statusClass(status: number): string {
  if (status === 0) return 'status-none';
  if (status < 400) return 'status-ok';
  if (status < 500) return 'status-client';
  return 'status-server';
}
