import { type ChildProcess, spawn } from 'node:child_process';

/** How a child process ended. */
export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

/** Options of {@link runChild}. */
export interface RunChildOptions {
  cwd: string;
  /** The whole environment of the child (nothing is inherited implicitly). */
  env: NodeJS.ProcessEnv;
  /** The child is killed, and the run rejected, after this long. */
  timeoutMs: number;
}

const running = new Set<ChildProcess>();

/**
 * Runs `command` without a shell and resolves when it has exited. A child
 * still running after `timeoutMs` is killed and the run rejected with what it
 * printed, so a hung step fails the test instead of hanging it.
 */
export function runChild(
  command: string,
  argumentList: string[],
  options: RunChildOptions,
): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(command, argumentList, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${command} ${argumentList.join(' ')} did not exit within ${options.timeoutMs} ms\n` +
            `stdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

/** Kills every child still running (for afterEach / afterAll). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** The environment without `LTS_*`, so the outer shell cannot redirect a test. */
export function environmentWithoutLts(
  environment: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(([name]) => !name.startsWith('LTS_')),
  );
}
