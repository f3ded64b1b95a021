import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How a child process ended and what it wrote. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Options of {@link runFixture}. */
export interface FixtureRunOptions {
  /** Passed as JSON in the FIXTURE environment variable. */
  fixture: unknown;
  /** The child is killed with SIGKILL (and the run rejected) after this long. */
  timeoutMs?: number;
  /** Sends this signal once `when(stdout)` holds. */
  signal?: { name: NodeJS.Signals; when: (stdout: string) => boolean };
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
}

const running = new Set<ChildProcess>();

/** Runs `node test/fixtures/<name>` and resolves when it exits. */
export function runFixture(name: string, options: FixtureRunOptions): Promise<ChildRun> {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const environment: Record<string, string | undefined> = { ...process.env };
  // Only what the test passes may configure the child.
  for (const key of Object.keys(environment)) {
    if (key.startsWith('LTS_')) delete environment[key];
  }
  Object.assign(environment, options.env, { FIXTURE: JSON.stringify(options.fixture) });
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), script], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.signal !== undefined && !signalled && options.signal.when(stdout)) {
      signalled = true;
      child.kill(options.signal.name);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${name} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr.slice(-4000)}`,
        ),
      );
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
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

/** Kills every child still running (for afterEach). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
