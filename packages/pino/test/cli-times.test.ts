import { fileURLToPath } from 'node:url';
import { emulatorTest, killChildren, runNode } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';

// What `logtank --api high-accuracy` stores for lines whose `time` is a local
// time without a zone (the realistic case: a log file written by another tool).

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
afterEach(() => killChildren());

/** `2026-12-02T18:00:00` for a time a few minutes ago, as a clock in UTC+8 shows it. */
function shanghaiLocalText(epochMs: number): string {
  return new Date(epochMs + 8 * 3600_000).toISOString().slice(0, 19);
}

describe('logtank --api high-accuracy with local times without a zone', () => {
  emulatorTest(
    'reads them in the TZ logtank runs with, and stores each line at its own time',
    async ({ emulator }) => {
      const options = emulator.clientOptions();
      const first = Math.floor(Date.now() / 1000) * 1000 - 5 * 60_000;
      const lines = [
        { time: shanghaiLocalText(first), msg: 'five minutes ago' },
        { time: shanghaiLocalText(first - 60_000), msg: 'a minute earlier still' },
        { time: `${shanghaiLocalText(first + 1000)}.250`, msg: 'with milliseconds' },
      ];
      const run = await runNode(
        [
          cli,
          '--api',
          'high-accuracy',
          '--endpoint',
          options.endpoint,
          '--project-id',
          options.projectId,
          '--log-group-id',
          options.logGroupId,
          '--log-stream-id',
          options.logStreamId,
        ],
        {
          input: `${lines.map((line) => JSON.stringify(line)).join('\n')}\nplain text, no time\n`,
          env: { TZ: 'Asia/Shanghai', LTS_TOKEN: options.token },
          timeoutMs: 20_000,
        },
      );
      expect(run.code, run.stderr).toBe(0);
      const stored = new Map(
        emulator.records().map((record) => [record.content, record.timeNs / 1_000_000n]),
      );
      const storedMs = (message: string) =>
        [...stored].find(([content]) => content.includes(message))?.[1];
      expect(storedMs('five minutes ago')).toBe(BigInt(first));
      expect(storedMs('a minute earlier still')).toBe(BigInt(first - 60_000));
      expect(storedMs('with milliseconds')).toBe(BigInt(first + 1250));
      // A line without a time is stored at the moment it was read.
      const plain = storedMs('plain text')!;
      expect(Math.abs(Number(plain) - Date.now())).toBeLessThan(30_000);
    },
  );
});
