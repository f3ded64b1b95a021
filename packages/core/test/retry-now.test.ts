import { type Emulator, startEmulator } from '@logtank/emulator';
import { closedPort } from '@logtank/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeObservedClients, observedClient } from './observed-client.ts';

// A batch backing off after a failure must not sit out its wait when the app
// shuts down or when LTS answers again: found by a new user whose logs were
// dropped at logger.end() two seconds after an outage had ended.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await closeObservedClients();
  await emulator.stop();
});

/** A client whose retry after a 503 with `Retry-After: 20` waits 20 s. */
function patientClient() {
  return observedClient({
    ...emulator.clientOptions(),
    lingerMs: 5,
    closeTimeoutMs: 3000,
    retry: { baseDelayMs: 20_000, maxDelayMs: 30_000 },
  });
}

describe('a batch backing off after a failure', () => {
  it('is tried again at once when the app shuts down, and delivered', async () => {
    emulator.faults.enqueue({ status: 503, retryAfter: '20' });
    const { client, drops } = patientClient();
    client.send({ content: 'logged during the outage' });
    await expect.poll(() => client.stats().retries === 0 && client.stats().requests).toBe(1);
    const started = performance.now();
    await client.close();
    expect(performance.now() - started).toBeLessThan(2500);
    expect(drops).toEqual([]);
    expect(emulator.records().map((record) => record.content)).toEqual([
      'logged during the outage',
    ]);
    expect(client.stats()).toMatchObject({ delivered: 1, dropped: 0, retries: 1 });
  });

  it('is tried again as soon as another batch gets through', async () => {
    emulator.faults.enqueue({ status: 503, retryAfter: '20' });
    const { client } = patientClient();
    client.send({ content: 'first, refused once' });
    await expect.poll(() => client.stats().requests).toBe(1);
    client.send({ content: 'second, accepted' });
    const records = await emulator.waitForRecords(2, { timeoutMs: 3000 });
    expect(records.map((record) => record.content).sort()).toEqual([
      'first, refused once',
      'second, accepted',
    ]);
  });

  it('still stops at retry.maxAttempts during a shutdown: dropped as retries-exhausted, close() done', async () => {
    // Found by a new user: "attempt 4 of 3, giving up", up to "12 of 3", then a close-timeout.
    const { client, drops, errors } = observedClient({
      ...emulator.clientOptions(),
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      lingerMs: 5,
      closeTimeoutMs: 3000,
      retry: { maxAttempts: 3, baseDelayMs: 2000, maxDelayMs: 2000 },
    });
    client.send({ content: 'never delivered' });
    await expect.poll(() => client.stats().requests).toBe(1);
    const started = performance.now();
    await client.close();
    expect(performance.now() - started).toBeLessThan(2500);
    expect(client.stats()).toMatchObject({ requests: 3, dropped: 1 });
    expect(drops.map((drop) => drop.reason)).toEqual(['retries-exhausted']);
    expect(errors.map((error) => error.message.match(/attempt \d+ of \d+/)?.[0])).toEqual([
      'attempt 1 of 3',
      'attempt 2 of 3',
      'attempt 3 of 3',
    ]);
  });
});
