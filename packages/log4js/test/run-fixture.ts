import { type ChildRun, fixtureRunner, killChildren } from '@logtank/test-support';

export { closedPort } from '@logtank/test-support';

/** How a fixture run ended. */
export type FixtureRun = ChildRun;

/** Runs `test/fixtures/<name>` with `environment` added, from the package folder, until it exits by itself. */
export const runFixture = fixtureRunner(new URL('./fixtures/', import.meta.url), {
  cwd: new URL('..', import.meta.url),
});

/** Kills every fixture still running (for afterEach). */
export const killFixtures = killChildren;
