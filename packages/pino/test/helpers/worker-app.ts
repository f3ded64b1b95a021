import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LtsClientOptions } from '@logtank/core';
import {
  type ChildRun,
  type RunningChild,
  type RunOptions,
  startProcess,
} from '@logtank/test-support';

const app = fileURLToPath(new URL('../fixtures/worker-app.mjs', import.meta.url));

/** Settings of test/fixtures/worker-app.mjs. */
export interface AppSettings {
  clientOptions: LtsClientOptions;
  transportOptions?: Record<string, unknown>;
  variant?: 'default' | 'iso' | 'unix' | 'no-time' | 'custom-levels' | 'twin';
  records?: number;
  exitMode?: 'end' | 'natural' | 'exit' | 'flush' | 'sigterm';
  baseTime?: number;
  /** Log this many records, write "paused" on stdout, and log the rest after SIGUSR2. */
  pauseAfter?: number;
  /** Wait for the transport's 'ready' (this long at most, else the app kills itself) before calling pino(). */
  awaitReadyMs?: number;
  /** First write a line of this many "x" (a multiple of 64 KiB) through the transport, in pieces. */
  longLineBytes?: number;
}

/** What the app wrote about itself before it ended. */
export interface AppResult {
  startedAt: number;
  endedAt: number;
  loopMs: number;
  /** In the twin variant: the lines a second pino instance wrote to memory. */
  twinLines: string[];
  /** With awaitReadyMs: how long 'ready' took; null when it did not come in time. */
  readyMs?: number | null;
  /** The process's peak resident set size (worker included) when it had logged everything. */
  peakRssBytes: number;
}

/** Options of a worker app run: a time limit, a signal to send, environment variables to add. */
export type WorkerAppRunOptions = Pick<RunOptions, 'signal' | 'timeoutMs' | 'env'>;

/** A worker app started in a child process: the child, and its run and result once it has exited. */
export interface StartedWorkerApp {
  child: RunningChild;
  finished: Promise<{ run: ChildRun; result: AppResult | undefined }>;
}

/** Starts the worker-mode app in a child process (with `env` added to its environment). */
export function startWorkerApp(
  settings: AppSettings,
  options: WorkerAppRunOptions = {},
): StartedWorkerApp {
  const directory = mkdtempSync(join(tmpdir(), 'logtank-pino-'));
  const resultFile = join(directory, 'result.json');
  const child = startProcess(process.execPath, [app], {
    env: { ...options.env, FIXTURE: JSON.stringify({ ...settings, resultFile }) },
    timeoutMs: options.timeoutMs ?? 25_000,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const finished = child.exited
    .then((run) => {
      let result: AppResult | undefined;
      try {
        result = JSON.parse(readFileSync(resultFile, 'utf8')) as AppResult;
      } catch {
        result = undefined;
      }
      return { run, result };
    })
    .finally(() => rmSync(directory, { recursive: true, force: true }));
  return { child, finished };
}

/** Runs the worker-mode app in a child process; resolves when it has exited by itself. */
export function runWorkerApp(
  settings: AppSettings,
  options: WorkerAppRunOptions = {},
): Promise<{ run: ChildRun; result: AppResult | undefined }> {
  return startWorkerApp(settings, options).finished;
}
