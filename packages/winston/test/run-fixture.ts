import { fileURLToPath } from 'node:url';
import { type ChildRun, killChildren, runNode } from '@logtank/test-support';

export { closedPort } from '@logtank/test-support';

/** How a fixture run ended. */
export type FixtureRun = ChildRun;

/**
 * Runs `test/fixtures/<name>` in a fresh Node process with `environment`
 * added, and resolves when it exits by itself. A child still running after
 * `timeoutMs` is killed and the run rejected: the exit paths under test must
 * end on their own.
 */
export function runFixture(
  name: string,
  environment: Record<string, string>,
  timeoutMs = 20_000,
): Promise<FixtureRun> {
  return runNode([fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: environment,
    timeoutMs,
  });
}

/** Kills every fixture still running (for afterEach). */
export const killFixtures = killChildren;
