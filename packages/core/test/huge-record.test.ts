import { emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect, vi } from 'vitest';
import { closeObservedClients, observedClient } from './observed-client.ts';

afterEach(() => closeObservedClients());

describe('a record far larger than a request', () => {
  emulatorTest(
    'is cut to fit without encoding the whole of it (send() measures only what can fit)',
    async ({ emulator }) => {
      const { client } = observedClient({ ...emulator.clientOptions(), lingerMs: 5 });
      const huge = `${'é'.repeat(25 * 1024 * 1024)}end`;
      const stringify = vi.spyOn(JSON, 'stringify');
      try {
        client.send({ content: huge });
      } finally {
        stringify.mockRestore();
      }
      const longest = Math.max(
        0,
        ...stringify.mock.calls.map(([value]) => (typeof value === 'string' ? value.length : 0)),
      );
      // Nothing longer than a request was encoded (it used to be the whole 25 MB string).
      expect(longest).toBeLessThanOrEqual(512 * 1024);
      await client.flush();
      const [record] = emulator.records();
      expect(record!.content).toMatch(
        new RegExp(`^é+…\\[truncated by logtank: ${Buffer.byteLength(huge)} bytes\\]$`),
      );
      expect(client.stats().truncated).toBe(1);
    },
  );
});
