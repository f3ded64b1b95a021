import { once } from 'node:events';
import type { Emulator } from '@logtank/emulator';
import { ltsTransport } from '@logtank/pino';
import { emulatorTest } from '@logtank/test-support';
import { describe, expect } from 'vitest';
import { truncationMarker } from './helpers/truncation-marker.ts';

// The marker of a line cut at maxLineBytes is the one core puts on a record
// it cuts to fit a request (core does not export it), so one search finds both.

async function shipped(
  emulator: Emulator,
  options: Record<string, unknown>,
  line: string,
): Promise<string[]> {
  const stream = await ltsTransport({ ...emulator.clientOptions(), ...options });
  const closed = once(stream, 'close');
  stream.end(`${line}\nnext\n`);
  await closed;
  return emulator.records().map((record) => record.content);
}

describe('the truncation marker', () => {
  emulatorTest(
    'is the text core ends a record with when it cuts it to fit a request',
    async ({ emulator }) => {
      const contents = await shipped(emulator, { maxBatchBytes: 1024 }, 'c'.repeat(3000));

      expect(contents[0]?.endsWith(truncationMarker(3000))).toBe(true);
      expect(contents[0]).toMatch(/^c+…\[truncated by logtank: 3000 bytes\]$/);
    },
  );

  emulatorTest(
    'ends a line cut at maxLineBytes, with the whole line’s size, and the next line is whole',
    async ({ emulator }) => {
      const line = `${'ü'.repeat(50_000)}`;
      const contents = await shipped(emulator, { maxLineBytes: 2048 }, line);

      expect(contents[0]).toMatch(/^ü+…\[truncated by logtank: 100000 bytes\]$/);
      expect(Buffer.byteLength(contents[0] ?? '')).toBeLessThanOrEqual(2048);
      expect(contents[1]).toBe('next');
    },
  );
});
