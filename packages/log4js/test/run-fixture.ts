import { fixtureRunner } from '@logtank/test-support';

/** Runs `test/fixtures/<name>` with `environment` added, from the package folder, until it exits by itself. */
export const runFixture = fixtureRunner(new URL('./fixtures/', import.meta.url), {
  cwd: new URL('..', import.meta.url),
});
