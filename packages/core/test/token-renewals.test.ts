import { closedPort, emulatorTest, temporaryKey } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { type AccessKey, LtsCredentialError } from '../src/index.ts';
import { closeObservedClients, numbered, observedClient } from './observed-client.ts';

// `stats().tokenRenewals` counts credentials obtained after the first one;
// attempts that obtained nothing (the source is down or refuses) are not renewals.

afterEach(async () => {
  await closeObservedClients();
});

/** A fresh temporary key from the emulator's metadata stand-in (which the emulator accepts). */
describe('tokenRenewals', () => {
  emulatorTest(
    'an ECS metadata address where nothing answers: every attempt fails, no renewal',
    async ({ emulator }) => {
      const { client, drops, errors } = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        ecsMetadata: { endpoint: `http://127.0.0.1:${await closedPort()}` },
        lingerMs: 5,
        retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 2 },
      });
      client.send({ content: 'nowhere' });
      await client.flush();
      // Several attempts to get a key were made...
      const failures = errors.filter((error) => error instanceof LtsCredentialError);
      expect(failures.length).toBeGreaterThan(1);
      expect(failures[0]!.message).toMatch(/metadata service at .* did not answer/);
      expect(drops.map((event) => event.reason)).toEqual(['retries-exhausted']);
      // ...none of which renewed anything.
      expect(client.stats().tokenRenewals).toBe(0);
      expect(emulator.stats().requests).toBe(0);
    },
  );

  emulatorTest(
    'the ECS metadata service: one renewal per key issued after the first',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ metadata: true });
      const { client, drops } = observedClient({
        ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
        lingerMs: 5,
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
      });
      for (let round = 0; round < 4; round++) {
        for (const content of numbered(`round ${round}`, 10)) client.send({ content });
        await client.flush();
        expect(client.stats().tokenRenewals).toBe(round);
        // Every key stops working: the next request is refused (401) and a new key is fetched.
        emulator.metadata!.expireKeys();
      }
      expect(emulator.records()).toHaveLength(40);
      expect(emulator.metadata!.issuedKeys()).toBe(4);
      expect(drops).toEqual([]);
    },
  );

  emulatorTest(
    'an accessKeyProvider that fails between keys: only the keys obtained count',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ metadata: true });
      let calls = 0;
      let failuresToCome = 0;
      const keys: AccessKey[] = [];
      const { client, drops } = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        accessKeyProvider: async () => {
          calls += 1;
          if (failuresToCome > 0) {
            failuresToCome -= 1;
            throw new Error('key vault unavailable');
          }
          const key = await temporaryKey(emulator);
          keys.push(key);
          return key;
        },
        lingerMs: 5,
        retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5 },
      });
      client.send({ content: 'first key' });
      await client.flush();
      expect(calls).toBe(1);
      expect(client.stats().tokenRenewals).toBe(0);

      for (let round = 1; round <= 2; round++) {
        // The key is revoked: a 401, then three failed provider calls, then a new key.
        emulator.metadata!.revokeKey(keys.at(-1)!.id);
        failuresToCome = 3;
        client.send({ content: `key ${round + 1}` });
        await client.flush();
        expect(calls).toBe(1 + round * 4);
        expect(keys).toHaveLength(1 + round);
        expect(client.stats().tokenRenewals).toBe(round);
      }
      expect(emulator.records().map((record) => record.content)).toEqual([
        'first key',
        'key 2',
        'key 3',
      ]);
      expect(drops).toEqual([]);
    },
  );

  emulatorTest(
    'a key renewed ahead of its expiresAt counts once per key obtained',
    async ({ emulator }) => {
      let calls = 0;
      const { client, drops } = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        accessKeyProvider: () => {
          calls += 1;
          // Lives 1.2 s: asked again three quarters into its life, while it still works.
          return { ...emulator.accessKey, expiresAt: Date.now() + 1200 };
        },
        lingerMs: 5,
      });
      client.send({ content: 'one' });
      await client.flush();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      client.send({ content: 'two' });
      await client.flush();
      // The background renewal has settled by the time the next batch needs a key.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(calls).toBe(2);
      expect(client.stats().tokenRenewals).toBe(1);
      expect(emulator.records()).toHaveLength(2);
      expect(drops).toEqual([]);
    },
  );
});
