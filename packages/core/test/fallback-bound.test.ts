import type { Emulator } from '@logtank/emulator';
import { emulatorTest, killChildren } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import type { ClientStats } from '../src/index.ts';
import { startApp } from './support.ts';

afterEach(async () => {
  killChildren();
});

describe('the stderr fallback during an outage, with nobody reading stderr', () => {
  emulatorTest(
    'keeps memory bounded: records past 1 MiB waiting are counted, not queued',
    async ({ emulator }) => {
      emulator.faults.hang({});
      const bounded = await runWithStalledStderr(emulator, {});
      const withoutFallback = await runWithStalledStderr(emulator, { FALLBACK: 'none' });
      const { stats } = bounded;
      expect(stats.sent).toBe(records);
      expect(stats.delivered + stats.dropped + stats.buffered).toBe(records);
      expect(stats.dropped).toBeGreaterThan(records * 0.9);
      // Most drops were counted without being written to the stalled stderr.
      expect(stats.fallbackSkipped).toBeGreaterThan(records * 0.8);
      expect(withoutFallback.stats.fallbackSkipped).toBe(0);
      // What waits for stderr stays within the fallback's 1 MiB (and the few
      // warning lines the client prints); unbounded, the dropped records
      // queued ~100 MB there (514 MB RSS against 106 MB).
      expect(bounded.stderrQueuedBytes).toBeGreaterThan(0);
      expect(bounded.stderrQueuedBytes).toBeLessThanOrEqual(1024 * 1024 + 16 * 1024);
      // The process as a whole: Node 24's heap alone varies by ~60 MB between
      // identical runs here, so the margin is wide, yet far below the unbounded +400 MB.
      expect(bounded.rss - withoutFallback.rss).toBeLessThan(100 * 1024 * 1024);
    },
  );
});

const records = 300_000;

/** Runs the app with nobody reading its stderr; its report once it has logged everything. */
async function runWithStalledStderr(
  emulator: Emulator,
  environment: Record<string, string>,
): Promise<{ rss: number; stderrQueuedBytes: number; stats: ClientStats }> {
  const app = startApp('slow-stderr-app.mjs', {
    CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
    RECORDS: String(records),
    // Measured after a full collection, so the figure is what is held, not garbage.
    NODE_OPTIONS: '--expose-gc',
    ...environment,
  });
  // The pipe fills and the app's writes queue in its memory.
  app.child.stderr!.pause();
  const report = await new Promise<{ rss: number; stderrQueuedBytes: number; stats: ClientStats }>(
    (resolve) => {
      const check = setInterval(() => {
        const line = app
          .output()
          .stdout.split('\n')
          .find((text) => text.startsWith('{'));
        if (line !== undefined) {
          clearInterval(check);
          resolve(JSON.parse(line));
        }
      }, 20);
    },
  );
  app.child.stderr!.resume();
  await app.exited;
  return report;
}
