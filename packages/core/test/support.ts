import { fileURLToPath } from 'node:url';
import { fixtureRunner, type RunningChild, startProcess } from '@logtank/test-support';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Starts a fixture app of test/fixtures with `node`; killed (and its run rejected) after `timeoutMs`. */
export function startApp(
  name: string,
  environment: Record<string, string>,
  timeoutMs = 20_000,
): RunningChild {
  return startProcess(process.execPath, [fixture(name)], { env: environment, timeoutMs });
}

/** Runs a fixture app to its end. */
export const runApp = fixtureRunner(new URL('./fixtures/', import.meta.url));
