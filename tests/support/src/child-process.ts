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

/** Options of {@link startProcess}. */
export interface RunOptions {
  /**
   * Variables added to a copy of this process's environment, from which any
   * LTS_*, HUAWEICLOUD_SDK_* and proxy variable of the outer shell is removed (only what a test passes may configure
   * the child); with `inheritEnvironment: false`, the whole environment.
   */
  env?: NodeJS.ProcessEnv;
  inheritEnvironment?: boolean;
  cwd?: string;
  /** Written to the child's stdin, which is then closed. Without it stdin is closed at once. */
  input?: string | Buffer;
  /** The child is killed with SIGKILL, and the run rejected, after this long. Default 25 s. */
  timeoutMs?: number;
  /** Keeps stdin open (after `input`) and sends this signal once `when(stdout)` holds. */
  signal?: { name: NodeJS.Signals; when: (stdout: string) => boolean };
}

/** A child process under a time limit. */
export interface RunningChild {
  child: ChildProcess;
  /** What it wrote so far. */
  output: () => { stdout: string; stderr: string };
  /** Resolves when it has exited and its output is complete. */
  exited: Promise<ChildRun>;
}

const running = new Set<ChildProcess>();

/** Starts `command` (no shell); a child that outlives `timeoutMs` is killed and its run rejected. */
export function startProcess(
  command: string,
  argumentList: readonly string[],
  options: RunOptions = {},
): RunningChild {
  const environment: NodeJS.ProcessEnv =
    options.inheritEnvironment === false ? { ...options.env } : withoutLtsVariables(options.env);
  const started = performance.now();
  const child = spawn(command, [...argumentList], {
    cwd: options.cwd,
    env: environment,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.signal !== undefined && !signalled && options.signal.when(stdout)) {
      signalled = true;
      child.kill(options.signal.name);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // A child that exits without reading its stdin must not fail the run with EPIPE.
  child.stdin!.on('error', () => {});
  if (options.signal === undefined) child.stdin!.end(options.input);
  else if (options.input !== undefined) child.stdin!.write(options.input);

  const timeoutMs = options.timeoutMs ?? 25_000;
  const exited = new Promise<ChildRun>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${[command, ...argumentList].join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
  return { child, output: () => ({ stdout, stderr }), exited };
}

/** Runs `command` to its end; see {@link startProcess}. */
export function runProcess(
  command: string,
  argumentList: readonly string[],
  options: RunOptions = {},
): Promise<ChildRun> {
  return startProcess(command, argumentList, options).exited;
}

/** Runs `node <args>` with this process's Node.js to its end. */
export function runNode(
  argumentList: readonly string[],
  options: RunOptions = {},
): Promise<ChildRun> {
  return runProcess(process.execPath, argumentList, options);
}

/**
 * A runner for the fixture apps of one test folder: `run(name, environment)`
 * starts `node <fixtures>/<name>` with `environment` added and resolves when
 * it exits by itself; one still running after `timeoutMs` is killed and its
 * run rejected (the exit paths under test must end on their own).
 */
export function fixtureRunner(
  fixtures: URL,
  options: { cwd?: URL; timeoutMs?: number } = {},
): (name: string, environment: Record<string, string>, timeoutMs?: number) => Promise<ChildRun> {
  return (name, environment, timeoutMs = options.timeoutMs ?? 20_000) =>
    runNode([fileURLToPath(new URL(name, fixtures))], {
      env: environment,
      timeoutMs,
      ...(options.cwd === undefined ? {} : { cwd: fileURLToPath(options.cwd) }),
    });
}

/** Kills every child still running (for afterEach). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** What the outer shell may set that would redirect a child's requests: LTS_*, Huawei's credentials, proxies. */
const redirecting = /^(LTS_|HUAWEICLOUD_SDK_)|^(https?|all|no)_proxy$/i;

function withoutLtsVariables(added: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!redirecting.test(name)) environment[name] = value;
  }
  return { ...environment, ...added };
}
