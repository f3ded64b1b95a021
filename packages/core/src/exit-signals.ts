import { isMainThread } from 'node:worker_threads';
import { runExitHooks } from './exit-hooks.ts';
import { type ProcessState, processState } from './process-state.ts';

/** The signals on which a client can deliver before the process ends. */
export const exitSignals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
export type ExitSignal = (typeof exitSignals)[number];

/** What a client does when the process is stopped by a signal (beside its exit hooks). */
export interface SignalAware {
  /** The signals this client asks to be delivered on. */
  readonly signals: readonly ExitSignal[];
  /** Delivers what is buffered, within the client's close timeout; never rejects. */
  deliverBeforeSignal(): Promise<void>;
  /** Sends what is buffered now, without waiting for it (the app handles the signal). */
  startDelivery(): void;
}

type SignalState = NonNullable<ProcessState['signals']>;

function state(): SignalState {
  processState.signals ??= { listeners: new Map(), stopping: false };
  return processState.signals;
}

/** The clients watching the process's end (exit-hooks.ts) that act on signals: those of copies of core that know them. */
function signalClients(): SignalAware[] {
  return [...processState.exitClients].filter(
    (client): client is typeof client & SignalAware => 'deliverBeforeSignal' in client,
  );
}

/**
 * How many listeners of `signal-exit` (used by many libraries) are on each
 * signal: it ends the process on a signal only when its own listeners are
 * the only ones, so those are not the app's and must not make us step aside.
 */
function signalExitListeners(): number {
  // v4 keeps its emitter on globalThis, v3 on process; each loaded copy adds one listener per signal.
  const v4 = (globalThis as Record<symbol, { count?: unknown } | undefined>)[
    Symbol.for('signal-exit emitter')
  ];
  const v3 = (process as unknown as { __signal_exit_emitter__?: { count?: unknown } })
    .__signal_exit_emitter__;
  const count = (emitter: { count?: unknown } | undefined) =>
    typeof emitter?.count === 'number' ? emitter.count : 0;
  return count(v4) + count(v3);
}

/** Removes every listener of ours: what the process does on a signal is Node's default again. */
function removeListeners(current: SignalState): void {
  for (const [signal, listener] of current.listeners) process.removeListener(signal, listener);
  current.listeners.clear();
}

/** Writes out what is left (spool, fallback, reported) and ends the process by `signal`, as Node would have. */
function endBy(current: SignalState, signal: ExitSignal): void {
  // Every client in the process, of any copy of core, as on 'exit'.
  runExitHooks();
  removeListeners(current);
  // A turn later, so that the warnings of the last drops are printed.
  setImmediate(() => process.kill(process.pid, signal));
}

function onSignal(signal: ExitSignal): void {
  const current = state();
  // A second signal while delivering: end now, as a user pressing Ctrl-C twice expects.
  if (current.stopping) {
    endBy(current, signal);
    return;
  }
  const own = current.listeners.get(signal);
  // process.listeners(), not rawListeners(): a runner's listener that hides
  // itself there (tsx's ends the process when no other listener is left)
  // stands for Node's default, so it is not the app's.
  const others = process.listeners(signal).filter((listener) => listener !== own).length;
  if (others > signalExitListeners()) {
    // The app (or a library it uses) handles this signal: it decides how the
    // process ends (process.exit() still runs the exit hook). Step aside for
    // this signal, so that a listener which ends the process only when it is
    // alone (tsx's, for one) still does; come back once it has run.
    if (own !== undefined) process.removeListener(signal, own);
    current.listeners.delete(signal);
    // The process is probably ending: what is buffered heads out now, not after lingerMs.
    for (const client of signalClients()) client.startDelivery();
    setImmediate(updateSignalListeners);
    return;
  }
  // Nobody else ends the process on this signal: Node's default would end it
  // now and lose what is buffered. Deliver first (each client within its
  // close timeout), then end by the same signal, so that the exit status is
  // the one the default gives (143 for SIGTERM).
  current.stopping = true;
  const deliveries = signalClients().map((client) => client.deliverBeforeSignal());
  void Promise.allSettled(deliveries).then(() => endBy(current, signal));
}

/**
 * Listens on each signal some client watching the process's end asks for
 * (main thread only: workers get no signals), and on no other: call it when
 * a client starts or stops watching. Signal listeners do not keep the process
 * alive, and once the last client closed, Node's default is back.
 */
export function updateSignalListeners(): void {
  const current = state();
  if (!isMainThread || current.stopping) return;
  const wanted = new Set<ExitSignal>();
  for (const client of signalClients()) for (const signal of client.signals) wanted.add(signal);
  for (const [signal, listener] of current.listeners) {
    if (wanted.has(signal as ExitSignal)) continue;
    process.removeListener(signal, listener);
    current.listeners.delete(signal);
  }
  for (const signal of wanted) {
    if (current.listeners.has(signal)) continue;
    // First in line, so that the app's listeners, added earlier or later,
    // run after ours has looked at them.
    const listener = () => onSignal(signal);
    current.listeners.set(signal, listener);
    process.prependListener(signal, listener);
  }
}
