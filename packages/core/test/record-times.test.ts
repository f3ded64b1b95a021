import type { Emulator } from '@logtank/emulator';
import { emulatorTest } from '@logtank/test-support';
import fc from 'fast-check';
import { afterEach, describe, expect } from 'vitest';
import type { LtsApi, LtsClientOptions } from '../src/index.ts';
import { closeObservedClients, type Observed, observedClient } from './observed-client.ts';

// A record's stored time is its own (or the moment it was sent): no record
// moves another's time (DESIGN.md invariant 7).

afterEach(() => closeObservedClients());

const ms = 1_000_000n;
const second = 1_000_000_000n;

function clientFor(emulator: Emulator, api: LtsApi, options: LtsClientOptions = {}): Observed {
  const credentials =
    api === 'batch'
      ? emulator.clientOptions({ credentials: 'access-key' })
      : emulator.clientOptions();
  return observedClient({ ...credentials, api, lingerMs: 20, ...options });
}

/** The stored time of each content. */
function storedTimes(emulator: Emulator): Map<string, bigint> {
  return new Map(emulator.records().map((record) => [record.content, record.timeNs]));
}

const nowNs = () => BigInt(Date.now()) * ms;

describe.each(['high-accuracy', 'batch'] as const)('a time per record (%s)', (api) => {
  emulatorTest(
    'keeps each record’s own time exactly, a minute ago or 40 h ahead, and later records are not moved',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, api);
      const now = nowNs();
      const minuteAgo = now - 60n * second + 123_456n;
      const ahead = now + 40n * 3600n * second;
      client.send({ content: 'a minute ago', timeNs: minuteAgo });
      client.send({ content: 'forty hours ahead', timeNs: ahead });
      client.send({ content: 'just after, own time', timeNs: now + 5n * ms });
      client.send({ content: 'no time' });
      const sentAt = nowNs();
      await client.flush();
      const stored = storedTimes(emulator);
      expect(stored.get('a minute ago')).toBe(minuteAgo);
      expect(stored.get('forty hours ahead')).toBe(ahead);
      expect(stored.get('just after, own time')).toBe(now + 5n * ms);
      const noTime = stored.get('no time')!;
      expect(noTime >= sentAt - 50n * ms && noTime <= sentAt + 50n * ms).toBe(true);
    },
  );

  emulatorTest(
    'keeps the order of records of one millisecond with nanosecond offsets inside it',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, api);
      const millisecond = Date.now() - 1000;
      for (let index = 0; index < 5; index++)
        client.send({ content: `same ${index}`, timeMs: millisecond });
      await client.flush();
      const stored = storedTimes(emulator);
      for (let index = 0; index < 5; index++) {
        expect(stored.get(`same ${index}`)).toBe(BigInt(millisecond) * ms + BigInt(index));
      }
    },
  );
});

describe('one base time per request (standard)', () => {
  emulatorTest('a record 40 h ahead does not move the records after it', async ({ emulator }) => {
    const { client } = clientFor(emulator, 'standard');
    const now = nowNs();
    client.send({ content: 'before', timeNs: now });
    client.send({ content: 'forty hours ahead', timeNs: now + 40n * 3600n * second });
    client.send({ content: 'after', timeNs: now + 2n * ms });
    await client.flush();
    const stored = storedTimes(emulator);
    expect(stored.get('before')).toBe(now);
    expect(stored.get('forty hours ahead')).toBe(now + 40n * 3600n * second);
    // Its own time (it used to be stored 40 h ahead, after the one before it).
    expect(stored.get('after')).toBe(now + 2n * ms);
  });

  emulatorTest(
    'starts a new request for a record more than a second after the open batch’s first',
    async ({ emulator }) => {
      const { client } = clientFor(emulator, 'standard', { lingerMs: 60_000 });
      const now = nowNs();
      client.send({ content: 'first', timeNs: now });
      client.send({ content: 'half a second later', timeNs: now + 500n * ms });
      client.send({ content: 'two seconds later', timeNs: now + 2n * second });
      await client.flush();
      const stored = storedTimes(emulator);
      expect(stored.get('first')).toBe(now);
      expect(stored.get('half a second later')).toBe(now + 1n);
      expect(stored.get('two seconds later')).toBe(now + 2n * second);
      expect(emulator.requests().filter((request) => request.status === 200)).toHaveLength(2);
    },
  );

  emulatorTest(
    'never stores a time more than a second from the record’s own, whatever the order of times',
    async ({ emulator }) => {
      const base = nowNs() - 3600n * second;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: 1, maxLength: 40 }),
          async (offsetsMs) => {
            emulator.clear();
            const { client } = clientFor(emulator, 'standard', { lingerMs: 60_000 });
            const own = new Map<string, bigint>();
            offsetsMs.forEach((offset, index) => {
              const timeNs = base + BigInt(offset) * ms;
              own.set(`record ${index}`, timeNs);
              client.send({ content: `record ${index}`, timeNs });
            });
            await client.flush();
            const stored = storedTimes(emulator);
            expect(stored.size).toBe(offsetsMs.length);
            for (const [content, time] of own) {
              const difference = stored.get(content)! - time;
              expect(difference < 0n ? -difference : difference).toBeLessThanOrEqual(second);
            }
            await client.close();
          },
        ),
        { numRuns: 25 },
      );
    },
  );
});
