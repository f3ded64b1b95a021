import type { EmulatorStats } from './types.ts';

/** Counters at start and after `clear()`. */
export function emptyStats(): EmulatorStats {
  return {
    requests: 0,
    byStatus: {},
    records: 0,
    bytes: 0,
    evicted: 0,
    storedWithoutResponse: 0,
    iamLogins: 0,
    byCredential: { token: 0, 'access-key': 0, 'temporary-key': 0 },
    signatureFailures: 0,
  };
}

/** A copy of the counters (nested ones too), so callers cannot change the emulator's. */
export function copyStats(stats: EmulatorStats, evicted: number): EmulatorStats {
  return {
    ...stats,
    byStatus: { ...stats.byStatus },
    byCredential: { ...stats.byCredential },
    evicted,
  };
}
