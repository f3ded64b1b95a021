import { processState } from './process-state.ts';
import { markExiting } from './stderr.ts';

/** What a client does when the process ends. */
export interface ExitAware {
  /** The event loop ran dry: deliver what is buffered (this keeps the loop alive, within a bound). */
  beforeExit(): void;
  /** The process is exiting now: nothing asynchronous can run any more. */
  exit(): void;
}

/** Shared with every copy of core in the process (see process-state.ts). */
const clients = processState.exitClients;

function onBeforeExit(): void {
  for (const client of clients) client.beforeExit();
}

function onExit(): void {
  runExitHooks();
  // Later clients (a listener of the app creating one) install afresh.
  processState.exitListening = false;
}

/**
 * The process ends now (on 'exit', or just before a signal ends it): each
 * client hands what is left to the spool or the fallback, reported. Each
 * client's hook runs once.
 */
export function runExitHooks(): void {
  markExiting();
  const ending = [...clients];
  clients.clear();
  for (const client of ending) client.exit();
}

/**
 * One pair of process listeners for every client of every copy of core, so
 * many clients never trip MaxListeners and none runs twice.
 */
export function watchExit(client: ExitAware): void {
  clients.add(client);
  if (processState.exitListening) return;
  processState.exitListening = true;
  process.on('beforeExit', onBeforeExit);
  process.once('exit', onExit);
}

export function unwatchExit(client: ExitAware): void {
  clients.delete(client);
}
