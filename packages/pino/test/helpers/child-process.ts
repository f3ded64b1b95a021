import { type ChildProcess, spawn } from 'node:child_process';

/** How a child process ended and what it wrote. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Options of {@link runNode}. */
export interface RunOptions {
  /** Environment variables added to a copy of this process's, without any LTS_* from the outside. */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. Without it stdin is closed at once. */
  input?: string | Buffer;
  /** The child is killed (and the run rejected) after this long. */
  timeoutMs?: number;
  /** Keep stdin open after `input` (a pipe that never ends) and send this signal once `when(stdout)` holds. */
  signal?: { name: NodeJS.Signals; when: (stdout: string) => boolean };
}

const running = new Set<ChildProcess>();

/** Runs `node <args>` and resolves when it exits; a child that outlives `timeoutMs` is killed. */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<ChildRun> {
  const environment: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(environment)) {
    if (name.startsWith('LTS_')) delete environment[name];
  }
  Object.assign(environment, options.env);
  const started = performance.now();
  const child = spawn(process.execPath, [...args], {
    env: environment,
    stdio: ['pipe', 'pipe', 'pipe'],
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
  child.stdin.on('error', () => {
    // The child may exit before reading all of its input (e.g. on a bad flag).
  });
  if (options.signal === undefined) {
    child.stdin.end(options.input);
  } else if (options.input !== undefined) {
    child.stdin.write(options.input);
  }
  const timeoutMs = options.timeoutMs ?? 25_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `child did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
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

/** Kills every child still running (for afterEach). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
