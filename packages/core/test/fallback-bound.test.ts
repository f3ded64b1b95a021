import { type Emulator, startEmulator } from '@logtank/emulator';
import { killChildren } from '@logtank/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientStats } from '../src/index.ts';
import { startApp } from './support.ts';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  killChildren();
  await emulator.stop();
});

describe('the stderr fallback during an outage, with nobody reading stderr', () => {
  it('keeps memory bounded: records past 1 MiB waiting are counted, not queued', async () => {
    emulator.faults.hang({});
    const records = 300_000;
    const app = startApp('slow-stderr-app.mjs', {
      CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
      RECORDS: String(records),
    });
    // Nobody reads the app's stderr: the pipe fills and the app's writes queue.
    app.child.stderr!.pause();
    const report = await new Promise<{ rss: number; stats: ClientStats }>((resolve) => {
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
    });
    app.child.stderr!.resume();
    await app.exited;
    const { stats } = report;
    expect(stats.sent).toBe(records);
    expect(stats.delivered + stats.dropped + stats.buffered).toBe(records);
    expect(stats.dropped).toBeGreaterThan(records * 0.9);
    // Most drops were counted without being written to the stalled stderr.
    expect(stats.fallbackSkipped).toBeGreaterThan(records * 0.8);
    // 300,000 × 300 B queued for stderr would be ~100 MB more (514 MB RSS before the bound).
    expect(report.rss).toBeLessThan(200 * 1024 * 1024);
  });
});
