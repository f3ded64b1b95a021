import { expect } from 'vitest';
import { type DropEvent, LtsClient, type LtsClientOptions } from '../src/index.ts';

/** A client whose drops and errors a test can read. */
export interface Observed {
  client: LtsClient;
  drops: DropEvent[];
  errors: Error[];
}

/** Clients made by {@link observedClient}; close them in afterEach with {@link closeObservedClients}. */
const clients: LtsClient[] = [];

/** A client that collects its `onDrop` events and `onError` errors (options may still override both). */
export function observedClient(options: LtsClientOptions): Observed {
  const drops: DropEvent[] = [];
  const errors: Error[] = [];
  const client = new LtsClient({
    onDrop: (event) => drops.push(event),
    onError: (error) => errors.push(error),
    ...options,
  });
  clients.push(client);
  return { client, drops, errors };
}

export async function closeObservedClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.close({ timeoutMs: 100 })));
}

/** The ledger's invariant: every record sent (or read back from the spool) is somewhere. */
export function expectBalanced(client: LtsClient): void {
  const stats = client.stats();
  expect(stats.delivered + stats.dropped + stats.buffered + stats.spooled).toBe(
    stats.sent + stats.recovered,
  );
}

/** `prefix 0` … `prefix count-1`. */
export function numbered(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index}`);
}
