import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A TCP port on loopback with nothing listening. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** How a child app ended. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** A fixture app in test/fixtures, started with `node`. */
export interface RunningApp {
  child: ChildProcess;
  /** Output so far. */
  output: () => { stdout: string; stderr: string };
  /** Resolves when it exits; kills it (and rejects) after `timeoutMs`. */
  exited: Promise<Run>;
}

export function startApp(
  fixture: string,
  environment: Record<string, string>,
  timeoutMs = 20_000,
): RunningApp {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url))],
    {
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${fixture} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs a fixture app to its end. */
export function runApp(
  fixture: string,
  environment: Record<string, string>,
  timeoutMs?: number,
): Promise<Run> {
  return startApp(fixture, environment, timeoutMs).exited;
}
