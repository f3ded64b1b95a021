import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * Writes to the process's stderr so that it survives an immediate exit. On
 * the main thread process.stderr is enough. In a worker thread (pino's
 * transports) process.stderr is relayed through the main thread, which an
 * exiting process no longer serves, so the worker writes to fd 2 itself.
 */
export function writeStderr(text: string): void {
  if (isMainThread) {
    process.stderr.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  for (let attempt = 0; offset < bytes.length && attempt < 1000; attempt++) {
    try {
      offset += writeSync(2, bytes, offset);
    } catch (error) {
      // A non-blocking pipe that is full: try again; anything else: give up quietly.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

let exiting = false;

/** The process is exiting: from now on warnings are written at once (emitWarning would print on a tick that never comes). */
export function markExiting(): void {
  exiting = true;
}

/**
 * A process warning. In a worker thread, warnings go through the same relay
 * as stderr, and while the process exits emitWarning prints too late, so
 * then they are written directly, in the format Node uses.
 */
export function emitProcessWarning(message: string, code: string): void {
  if (isMainThread && !exiting) {
    process.emitWarning(message, { code });
    return;
  }
  writeStderr(`(node:${process.pid}) [${code}] Warning: ${message}\n`);
}
