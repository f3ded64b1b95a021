import { markExiting } from './stderr.ts';

/** What a client does when the process ends. */
export interface ExitAware {
  /** The event loop ran dry: deliver what is buffered (this keeps the loop alive, within a bound). */
  beforeExit(): void;
  /** The process is exiting now: nothing asynchronous can run any more. */
  exit(): void;
}

const clients = new Set<ExitAware>();

function onBeforeExit(): void {
  for (const client of clients) client.beforeExit();
}

function onExit(): void {
  markExiting();
  for (const client of clients) client.exit();
}

/** One pair of process listeners for every client, so many clients never trip MaxListeners. */
export function watchExit(client: ExitAware): void {
  if (clients.size === 0) {
    process.on('beforeExit', onBeforeExit);
    process.on('exit', onExit);
  }
  clients.add(client);
}

export function unwatchExit(client: ExitAware): void {
  if (!clients.delete(client) || clients.size > 0) return;
  process.off('beforeExit', onBeforeExit);
  process.off('exit', onExit);
}
