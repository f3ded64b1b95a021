import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { processState } from './process-state.ts';

/**
 * A reader that takes nothing for this long (wall clock) is given up on: a
 * closed or abandoned pipe. Long enough for a reader starved of CPU on a
 * loaded host to catch up; short enough not to hold an exit for long.
 */
const maxStallMs = 2000;
/** For sleeping between attempts: Atomics.wait on a cell that never changes. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to the process's stderr so that it survives an immediate exit. On
 * the main thread process.stderr is enough. In a worker thread (pino's
 * transports) process.stderr is relayed through the main thread, which an
 * exiting process no longer serves, so the worker writes to fd 2 itself.
 * Node makes a piped fd 2 non-blocking: when the pipe is full the write
 * waits for the reader (in 1 ms sleeps) instead of losing the rest.
 */
export function writeStderr(text: string): void {
  if (isMainThread) {
    process.stderr.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  let stalledSince: number | undefined;
  while (offset < bytes.length) {
    try {
      offset += writeSync(2, bytes, offset);
      stalledSince = undefined;
      processState.stderrStalled = false;
    } catch (error) {
      // Anything but a full pipe: give up quietly.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
      // Once a write gave up, later ones try once: a dead reader costs no more waiting.
      const now = performance.now();
      stalledSince ??= now;
      if (processState.stderrStalled || now - stalledSince >= maxStallMs) {
        processState.stderrStalled = true;
        return;
      }
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

/**
 * Writes dropped records to stderr without letting a slow reader grow the
 * process: on the app's thread a piped stderr queues in memory, so a write
 * is skipped (false) once `maxQueuedBytes` wait there. In a worker the write
 * is synchronous and gives up on a reader that takes nothing (writeStderr).
 */
export function writeStderrBounded(text: string, maxQueuedBytes: number): boolean {
  if (!isMainThread) {
    writeStderr(text);
    return !processState.stderrStalled;
  }
  if (process.stderr.writableLength + text.length > maxQueuedBytes) return false;
  process.stderr.write(text);
  return true;
}

/** The process is exiting: from now on warnings are written at once (emitWarning would print on a tick that never comes). */
export function markExiting(): void {
  processState.exiting = true;
}

/**
 * A process warning. In a worker thread, warnings go through the same relay
 * as stderr, and while the process exits emitWarning prints too late, so
 * then they are written directly, in the format Node uses.
 */
export function emitProcessWarning(message: string, code: string): void {
  if (isMainThread && !processState.exiting) {
    process.emitWarning(message, { code });
    return;
  }
  writeStderr(`(node:${process.pid}) [${code}] Warning: ${message}\n`);
}
