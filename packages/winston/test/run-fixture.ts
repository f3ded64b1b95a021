import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** How a fixture run ended. */
export interface FixtureRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

const running = new Set<ChildProcess>();

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
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...withoutLtsVariables(process.env), ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${name} did not exit within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

/** Kills every fixture still running (for afterEach). */
export function killFixtures(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** A loopback port nothing listens on: LTS is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** LTS_* variables of the outer shell must not leak into a fixture's client options. */
function withoutLtsVariables(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(([name]) => !name.startsWith('LTS_')),
  );
}
