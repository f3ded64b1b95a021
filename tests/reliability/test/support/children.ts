import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildRun, type RunningChild, startProcess } from '@logtank/test-support';

export { type ChildRun, killChildren, type RunningChild } from '@logtank/test-support';

/** Options of {@link runFixture}. */
export interface FixtureRunOptions {
  /** Passed as JSON in the FIXTURE environment variable. */
  fixture: unknown;
  /** The child is killed with SIGKILL (and the run rejected) after this long. Default 60 s. */
  timeoutMs?: number;
  /** Sends this signal once `when(stdout)` holds. */
  signal?: { name: NodeJS.Signals; when: (stdout: string) => boolean };
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** Starts `node test/fixtures/<name>`; the test decides when it has done enough (e.g. sends SIGTERM). */
export function startFixture(name: string, options: FixtureRunOptions): RunningChild {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return startProcess(process.execPath, [...(options.nodeFlags ?? []), script], {
    env: { ...options.env, FIXTURE: JSON.stringify(options.fixture) },
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

/** Runs `node test/fixtures/<name>` and resolves when it exits. */
export function runFixture(name: string, options: FixtureRunOptions): Promise<ChildRun> {
  return startFixture(name, options).exited;
}

/** The last JSON line a fixture wrote on stdout (its report). */
export function reportOf<T>(run: ChildRun): T {
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('{'));
  const last = lines.at(-1);
  if (last === undefined) {
    throw new Error(
      `the child wrote no report (code ${run.code})\nstderr: ${run.stderr.slice(-4000)}`,
    );
  }
  return JSON.parse(last) as T;
}

/** `node …/@logtank/pino/dist/cli.mjs` (the `logtank` bin) as the workspace built it. */
const cli = join(
  dirname(createRequire(import.meta.url).resolve('@logtank/pino/package.json')),
  'dist',
  'cli.mjs',
);

/** Runs the `logtank` CLI with `args`, piping `input` into it; resolves when it exits. */
export function runCli(
  args: readonly string[],
  input: string,
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ChildRun> {
  return startProcess(process.execPath, [cli, ...args], {
    input,
    env: options.env ?? {},
    timeoutMs: options.timeoutMs ?? 30_000,
  }).exited;
}
