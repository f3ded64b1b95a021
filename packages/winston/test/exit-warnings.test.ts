import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killFixtures, runFixture } from './run-fixture.ts';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  killFixtures();
  await emulator.stop();
});

/** The records the LOGTANK_DROP warnings account for: shown reports plus the summary of held-back ones. */
function recordsInDropWarnings(stderr: string): number {
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

describe('the warnings a user reads add up to stats()', () => {
  it('process.exit() with two label sets buffered: every dropped record is in a warning or the summary', async () => {
    const run = await runFixture('app.mjs', {
      SCENARIO: 'exit',
      RECORDS: '90',
      TRANSPORT_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        lingerMs: 60_000,
        // Two label sets: two batches, two drop reports within the 10 s throttle.
        labelKeys: ['level'],
      }),
    });
    expect(run.code).toBe(0);
    expect(emulator.records()).toHaveLength(0);
    expect(run.stderr).toMatch(/more drop report\(s\) covering \d+ record\(s\) were not shown/);
    expect(recordsInDropWarnings(run.stderr)).toBe(90);
  });
});
