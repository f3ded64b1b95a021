import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '@logtank/emulator';
import { closedPort, emulatorTest } from '@logtank/test-support';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { closeObservedClients, numbered, observedClient } from './observed-client.ts';

// Log records can carry personal data: the spool keeps them to its owner.
// Windows has no POSIX modes: there the tests run, without the mode assertions.
const posixModes = process.platform !== 'win32';

let root: string;
/** The process umask before a test changed it. */
let originalUmask: number | undefined;

/** Sets the process umask for the rest of the test. */
function useUmask(umask: number): void {
  const previous = process.umask(umask);
  originalUmask ??= previous;
}

function restoreUmask(): void {
  if (originalUmask !== undefined) process.umask(originalUmask);
  originalUmask = undefined;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'logtank-spool-modes-'));
});

afterEach(async () => {
  await closeObservedClients();
  restoreUmask();
  rmSync(root, { recursive: true, force: true });
});

/** The permission bits of `path`. */
function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function expectMode(path: string, expected: number): void {
  if (!posixModes) return;
  expect(mode(path).toString(8), path).toBe(expected.toString(8));
}

/** Sends `count` records to an LTS that does not answer and closes: they all land in the spool at `directory`. */
async function spoolRecords(emulator: Emulator, directory: string, count: number): Promise<void> {
  const { client, drops } = observedClient({
    ...emulator.clientOptions(),
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    spool: { dir: directory },
    lingerMs: 10,
    closeTimeoutMs: 200,
    retry: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 100 },
  });
  for (const content of numbered('private', count)) client.send({ content });
  await client.close();
  // Segments already in the spool are claimed, cannot be delivered either, and are spooled again.
  const stats = client.stats();
  expect(stats).toMatchObject({ sent: count, spooled: count + stats.recovered, dropped: 0 });
  expect(drops).toEqual([]);
}

function expectSegmentsPrivate(directory: string): void {
  const names = readdirSync(directory);
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expectMode(join(directory, name), 0o600);
}

describe('spool permissions', () => {
  emulatorTest(
    'creates the spool directory (and missing parents) 0700 and its segments 0600',
    async ({ emulator }) => {
      const directory = join(root, 'var', 'spool');
      await spoolRecords(emulator, directory, 50);
      expectMode(join(root, 'var'), 0o700);
      expectMode(directory, 0o700);
      expectSegmentsPrivate(directory);
    },
  );

  emulatorTest.for([
    ['a permissive umask', 0o000],
    ['a umask that takes bits from the owner too', 0o277],
  ] as const)('the modes are exactly 0700 and 0600 under %s', async ([, umask], { emulator }) => {
    const directory = join(root, 'spool');
    useUmask(umask);
    await spoolRecords(emulator, directory, 50);
    restoreUmask();
    expectMode(directory, 0o700);
    expectSegmentsPrivate(directory);
  });

  emulatorTest(
    "leaves an existing directory's mode alone, and still writes its segments 0600",
    async ({ emulator }) => {
      const directory = join(root, 'shared');
      mkdirSync(directory);
      chmodSync(directory, 0o755);
      useUmask(0o000);
      await spoolRecords(emulator, directory, 50);
      restoreUmask();
      expectMode(directory, 0o755);
      expectSegmentsPrivate(directory);
    },
  );

  emulatorTest(
    'segments stay 0600 when the next client takes them over and delivers them',
    async ({ emulator }) => {
      const directory = join(root, 'spool');
      await spoolRecords(emulator, directory, 50);
      // A second outage: this client claims the segments, cannot deliver and spools them again.
      await spoolRecords(emulator, directory, 10);
      expectSegmentsPrivate(directory);
      const { client } = observedClient({
        ...emulator.clientOptions(),
        spool: { dir: directory },
        lingerMs: 10,
      });
      await emulator.waitForRecords(60, { timeoutMs: 10_000 });
      expect(client.stats().recovered).toBeGreaterThanOrEqual(60);
      expectMode(directory, 0o700);
    },
  );
});
