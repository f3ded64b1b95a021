import type { Emulator, EmulatorOptions } from '@logtank/emulator';
import { emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import { type DropEvent, LtsClient, type LtsClientOptions } from '../src/index.ts';

const clients: LtsClient[] = [];

/** An emulator that checks tokens and has an IAM stand-in whose tokens live `tokenLifetimeMs`. */
function withIam(tokenLifetimeMs: number): EmulatorOptions {
  return {
    tokens: [],
    iam: {
      tokenLifetimeMs,
      users: [{ domainName: 'acme', userName: 'shipper', password: 'hunter2-secret' }],
    },
  };
}

emulatorTest.override({ emulatorOptions: withIam(60 * 60 * 1000) });

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close({ timeoutMs: 100 })));
});

function iamClient(
  emulator: Emulator,
  overrides: Partial<LtsClientOptions> = {},
): {
  client: LtsClient;
  drops: DropEvent[];
  errors: Error[];
} {
  const drops: DropEvent[] = [];
  const errors: Error[] = [];
  const { token: _token, ...withoutToken } = emulator.clientOptions();
  const client = new LtsClient({
    ...withoutToken,
    iam: {
      endpoint: emulator.url,
      domainName: 'acme',
      userName: 'shipper',
      password: 'hunter2-secret',
    },
    lingerMs: 10,
    maxBatchRecords: 5,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    onDrop: (event) => drops.push(event),
    onError: (error) => errors.push(error),
    ...overrides,
  });
  clients.push(client);
  return { client, drops, errors };
}

describe('IAM tokens', () => {
  emulatorTest(
    'logs in once, shares the token between concurrent requests, and delivers',
    async ({ emulator }) => {
      const { client, drops } = iamClient(emulator);
      for (let index = 0; index < 40; index++) client.send({ content: `iam ${index}` });
      await client.flush();
      expect(emulator.records()).toHaveLength(40);
      expect(emulator.stats().iamLogins).toBe(1);
      expect(drops).toEqual([]);
    },
  );

  emulatorTest(
    'renews once when LTS says the token expired mid-stream, losing nothing',
    async ({ emulator }) => {
      const { client, drops } = iamClient(emulator);
      client.send({ content: 'before' });
      await client.flush();
      // Every token issued so far stops working: the next request gets a 401.
      emulator.faults.expireTokens({ at: Date.now() });
      for (let index = 0; index < 20; index++) client.send({ content: `after ${index}` });
      await client.flush();
      expect(emulator.records()).toHaveLength(21);
      expect(emulator.stats().iamLogins).toBe(2);
      expect(client.stats().tokenRenewals).toBe(1);
      expect(drops).toEqual([]);
    },
  );

  emulatorTest('renews ahead of expiry without waiting for a 401', async ({ emulatorWith }) => {
    const emulator = await emulatorWith(withIam(2000));
    const { client, drops } = iamClient(emulator);
    client.send({ content: 'one' });
    await client.flush();
    await new Promise((resolve) => setTimeout(resolve, 1700));
    client.send({ content: 'two' });
    await client.flush();
    await new Promise((resolve) => setTimeout(resolve, 600));
    client.send({ content: 'three' });
    await client.flush();
    expect(emulator.records().map((record) => record.content)).toEqual(['one', 'two', 'three']);
    expect(emulator.stats().byStatus[401] ?? 0).toBe(0);
    expect(emulator.stats().iamLogins).toBeGreaterThanOrEqual(2);
    expect(drops).toEqual([]);
  });

  emulatorTest(
    'drops with a clear reason when IAM refuses the password, never echoing it',
    async ({ emulator }) => {
      const { client, drops, errors } = iamClient(emulator, {
        iam: {
          endpoint: emulator.url,
          domainName: 'acme',
          userName: 'shipper',
          password: 'wrong-password',
        },
      });
      client.send({ content: 'denied' });
      await client.flush();
      expect(drops).toMatchObject([{ reason: 'unauthorized', count: 1 }]);
      expect(drops[0]!.message).toMatch(/IAM login .* refused: HTTP 401/);
      const everything = JSON.stringify([
        drops.map((drop) => drop.message),
        errors.map((error) => error.message),
        client.stats(),
      ]);
      expect(everything).not.toContain('wrong-password');
      expect(emulator.stats().iamLogins).toBe(0);
    },
  );
});
