import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LtsClientOptions } from '@logtank/core';
import { type ChildRun, type RunOptions, runNode } from '@logtank/test-support';

const app = fileURLToPath(new URL('../fixtures/worker-app.mjs', import.meta.url));

/** Settings of test/fixtures/worker-app.mjs. */
export interface AppSettings {
  clientOptions: LtsClientOptions;
  transportOptions?: Record<string, unknown>;
  variant?: 'default' | 'iso' | 'unix' | 'no-time' | 'custom-levels' | 'twin';
  records?: number;
  exitMode?: 'end' | 'natural' | 'exit' | 'flush';
  baseTime?: number;
}

/** What the app wrote about itself before it ended. */
export interface AppResult {
  startedAt: number;
  endedAt: number;
  loopMs: number;
  /** In the twin variant: the lines a second pino instance wrote to memory. */
  twinLines: string[];
}

/** Runs the worker-mode app in a child process; resolves when it has exited by itself. */
export async function runWorkerApp(
  settings: AppSettings,
  options: Pick<RunOptions, 'signal' | 'timeoutMs'> = {},
): Promise<{ run: ChildRun; result: AppResult | undefined }> {
  const directory = mkdtempSync(join(tmpdir(), 'logtank-pino-'));
  const resultFile = join(directory, 'result.json');
  try {
    const run = await runNode([app], {
      env: { FIXTURE: JSON.stringify({ ...settings, resultFile }) },
      timeoutMs: options.timeoutMs ?? 25_000,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    let result: AppResult | undefined;
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8')) as AppResult;
    } catch {
      result = undefined;
    }
    return { run, result };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
