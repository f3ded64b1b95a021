import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort, emulatorTest, temporaryKey } from '@logtank/test-support';
import { afterEach, describe, expect } from 'vitest';
import {
  type AccessKey,
  type DropEvent,
  LtsClient,
  type LtsClientOptions,
  LtsCredentialError,
} from '../src/index.ts';

const clients: LtsClient[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close({ timeoutMs: 200 })));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

interface Observed {
  client: LtsClient;
  drops: DropEvent[];
  errors: Error[];
}

function observedClient(options: LtsClientOptions): Observed {
  const drops: DropEvent[] = [];
  const errors: Error[] = [];
  const client = new LtsClient({
    lingerMs: 10,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    onDrop: (event) => drops.push(event),
    onError: (error) => errors.push(error),
    ...options,
  });
  clients.push(client);
  return { client, drops, errors };
}

/** Everything the app could see, as one text, to search for secrets. */
function transcript({ client, drops, errors }: Observed): string {
  return JSON.stringify([
    client.stats(),
    drops.map((event) => [event.message, event.error?.message, event.error?.stack]),
    errors.map((error) => [error.message, error.stack, (error.cause as Error)?.message]),
  ]);
}

describe('access keys (AK/SK signing)', () => {
  emulatorTest.for([
    ['standard', {}],
    ['high-accuracy', { compression: 'gzip' }],
    ['batch', { compression: 'gzip' }],
    ['batch', {}],
  ] as const)(
    'signs every request on the %s API %j and delivers',
    async ([api, extra], { emulator }) => {
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        api,
        ...extra,
        maxBatchRecords: 7,
      });
      for (let index = 0; index < 50; index++) {
        observed.client.send({ content: `signed ${index}`, labels: { api } });
      }
      await observed.client.flush();
      const records = emulator.records();
      // Compressed batches may overtake each other: compare as sets.
      expect(records.map((record) => record.content).sort()).toEqual(
        Array.from({ length: 50 }, (_, index) => `signed ${index}`).sort(),
      );
      expect(new Set(records.map((record) => record.api))).toEqual(new Set([api]));
      expect(new Set(records.map((record) => record.credential))).toEqual(new Set(['access-key']));
      expect(new Set(emulator.requests().map((request) => request.credential?.algorithm))).toEqual(
        new Set([api === 'batch' ? 'V11-HMAC-SHA256' : 'SDK-HMAC-SHA256']),
      );
      expect(observed.errors).toEqual([]);
      expect(records[0]!.labels).toEqual({ api });
    },
  );

  emulatorTest(
    'with a wrong secret: refused, dropped as unauthorized after one request per batch, the secret never shown',
    async ({ emulator }) => {
      const wrongSecret = `${emulator.accessKey.secret.slice(0, -4)}WXYZ`;
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: { id: emulator.accessKey.id, secret: wrongSecret },
        maxBatchRecords: 10,
      });
      for (let index = 0; index < 30; index++) observed.client.send({ content: `x ${index}` });
      await observed.client.flush();
      expect(emulator.records()).toEqual([]);
      // A static key cannot be renewed: one attempt per batch, no retry storm.
      expect(emulator.stats().requests).toBe(3);
      expect(observed.client.stats()).toMatchObject({ sent: 30, delivered: 0, dropped: 30 });
      expect(observed.drops.map((event) => event.reason)).toEqual([
        'unauthorized',
        'unauthorized',
        'unauthorized',
      ]);
      expect(observed.drops[0]!.message).toMatch(
        /refused the access key.*verify aksk signature fail/,
      );
      expect(transcript(observed)).not.toContain(wrongSecret);
    },
  );

  emulatorTest(
    'says the clock is off when the server is more than 15 minutes away',
    async ({ emulatorWith }) => {
      const twentyMinutesNs = 20n * 60n * 1_000_000_000n;
      const emulator = await emulatorWith({
        now: () => BigInt(Date.now()) * 1_000_000n + twentyMinutesNs,
      });
      const observed = observedClient(emulator.clientOptions({ credentials: 'access-key' }));
      observed.client.send({ content: 'from a host with a slow clock' });
      await observed.client.flush();
      expect(observed.drops).toHaveLength(1);
      expect(observed.drops[0]!.reason).toBe('unauthorized');
      expect(observed.drops[0]!.message).toMatch(/clock|X-Sdk-Date/);
      expect(observed.errors[0]!.message).toMatch(/signature expired.*15-minute window/);
    },
  );

  emulatorTest(
    'signs each attempt afresh: a retry carries a new X-Sdk-Date',
    async ({ emulator }) => {
      const seen: Array<{ date: string; authorization: string }> = [];
      const server = createServer((request: IncomingMessage, response) => {
        request.resume();
        request.on('end', () => {
          seen.push({
            date: String(request.headers['x-sdk-date']),
            authorization: String(request.headers.authorization),
          });
          if (seen.length === 1) {
            response.writeHead(503, { 'retry-after': '1', 'content-type': 'application/json' });
            response.end('{"result":"busy"}');
            return;
          }
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(
            '{"errorCode":"SVCSTG.ALS.200.200","error_msg":"Report success.","result":null}',
          );
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        endpoint: `http://127.0.0.1:${port}`,
        retry: { baseDelayMs: 5, maxDelayMs: 2000 },
      });
      observed.client.send({ content: 'retried' });
      await observed.client.flush();
      expect(observed.client.stats()).toMatchObject({ delivered: 1, retries: 1 });
      expect(seen).toHaveLength(2);
      expect(seen[1]!.date > seen[0]!.date).toBe(true);
      expect(seen[1]!.authorization).not.toBe(seen[0]!.authorization);
    },
  );
});

describe('accessKeyProvider', () => {
  emulatorTest(
    'is called at start, once for concurrent requests, again before expiresAt, and once after a 401',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ metadata: { keyLifetimeMs: 60 * 60 * 1000 } });
      // Keys the test hands out: temporary keys of the metadata stand-in, which the emulator accepts.
      const keys: AccessKey[] = [];
      let calls = 0;
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        accessKeyProvider: async () => {
          calls += 1;
          const key = await temporaryKey(emulator);
          keys.push(key);
          return key;
        },
        maxBatchRecords: 5,
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(calls).toBe(1);
      for (let index = 0; index < 40; index++) observed.client.send({ content: `p ${index}` });
      await observed.client.flush();
      expect(emulator.records()).toHaveLength(40);
      expect(calls).toBe(1);
      expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
        new Set(['temporary-key']),
      );

      // The key is revoked: one 401, one provider call, then delivered.
      emulator.metadata!.revokeKey(keys[0]!.id as string);
      emulator.metadata!.expireKeys();
      for (let index = 40; index < 50; index++) observed.client.send({ content: `p ${index}` });
      await observed.client.flush();
      expect(calls).toBe(2);
      expect(emulator.records()).toHaveLength(50);
      expect(observed.client.stats().tokenRenewals).toBe(1);
      expect(observed.drops).toEqual([]);
      for (const key of keys) {
        expect(transcript(observed)).not.toContain(key.secret);
        expect(transcript(observed)).not.toContain(key.securityToken);
      }
    },
  );

  emulatorTest(
    'is asked again ahead of expiresAt, while the current key keeps working',
    async ({ emulator }) => {
      let calls = 0;
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        accessKeyProvider: () => {
          calls += 1;
          // Lives 2 s: renewed a quarter before its end.
          return { ...emulator.accessKey, expiresAt: Date.now() + 2000 };
        },
      });
      observed.client.send({ content: 'first' });
      await observed.client.flush();
      expect(calls).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1700));
      observed.client.send({ content: 'second' });
      await observed.client.flush();
      expect(calls).toBe(2);
      expect(emulator.records()).toHaveLength(2);
    },
  );

  emulatorTest(
    'a provider that throws or returns junk: reported, retried, and its records dropped with the reason',
    async ({ emulator }) => {
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        accessKeyProvider: () => ({ id: 'AK', secret: '' }) as AccessKey,
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      });
      observed.client.send({ content: 'never signed' });
      await observed.client.flush();
      expect(observed.errors[0]).toBeInstanceOf(LtsCredentialError);
      expect(observed.errors[0]!.message).toMatch(
        /accessKeyProvider returned an unusable key: secret/,
      );
      expect(observed.drops.map((event) => event.reason)).toEqual(['retries-exhausted']);
      expect(emulator.stats().requests).toBe(0);
    },
  );
});

describe('ecsMetadata (the ECS/CCE agency)', () => {
  emulatorTest(
    'signs with the agency key, renews it when the emulator rotates and expires keys, delivers everything',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ metadata: true });
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
        maxBatchRecords: 10,
      });
      for (let round = 0; round < 3; round++) {
        for (let index = 0; index < 30; index++) {
          observed.client.send({ content: `round ${round} record ${index}` });
        }
        await observed.client.flush();
        emulator.metadata!.expireKeys();
      }
      expect(emulator.records()).toHaveLength(90);
      expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
        new Set(['temporary-key']),
      );
      expect(emulator.metadata!.issuedKeys()).toBe(3);
      expect(observed.client.stats().tokenRenewals).toBe(2);
      expect(observed.drops).toEqual([]);
    },
  );

  emulatorTest('works on instances without the metadata-token API', async ({ emulatorWith }) => {
    const emulator = await emulatorWith({ metadata: { tokenApi: false } });
    const observed = observedClient(emulator.clientOptions({ credentials: 'ecs-metadata' }));
    observed.client.send({ content: 'old instance' });
    await observed.client.flush();
    expect(emulator.records()).toHaveLength(1);
  });

  emulatorTest(
    'with no agency attached: dropped at once, with what to do',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ metadata: { agency: false } });
      const observed = observedClient(emulator.clientOptions({ credentials: 'ecs-metadata' }));
      observed.client.send({ content: 'no agency' });
      await observed.client.flush();
      expect(observed.drops.map((event) => event.reason)).toEqual(['unauthorized']);
      expect(observed.drops[0]!.message).toMatch(/no agency is attached/);
      expect(emulator.stats().requests).toBe(0);
    },
  );

  emulatorTest(
    'off ECS (nothing answers at the address): a clear error, retried, then dropped',
    async ({ emulator }) => {
      const observed = observedClient({
        ...emulator.clientOptions({ credentials: 'access-key' }),
        accessKey: undefined,
        ecsMetadata: { endpoint: `http://127.0.0.1:${await closedPort()}` },
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      });
      observed.client.send({ content: 'nowhere' });
      await observed.client.flush();
      expect(observed.errors[0]!.message).toMatch(
        /metadata service at http:\/\/127\.0\.0\.1:\d+ did not answer .*not on ECS\/CCE, or no agency attached/,
      );
      expect(observed.drops.map((event) => event.reason)).toEqual(['retries-exhausted']);
    },
  );
});
