/**
 * What must exist once per process, not once per copy of this package: an
 * ESM app whose log4js loads the CommonJS build runs two copies of core, and
 * both must share one pair of exit listeners and say each once-only warning
 * once. Kept on `globalThis` under a registered symbol, as plain data, so
 * copies of other versions can share it too.
 */
export interface ProcessState {
  /** Clients to run on `beforeExit` and `exit`; one pair of process listeners serves them all. */
  readonly exitClients: Set<{ beforeExit(): void; exit(): void }>;
  /** Whether those listeners are installed. */
  exitListening: boolean;
  /** The process is exiting: warnings are written at once. */
  exiting: boolean;
  /** A stderr write gave up on a reader that takes nothing. */
  stderrStalled: boolean;
  /** Codes of the once-per-process warnings already given. */
  readonly warned: Set<string>;
  /**
   * The signal listeners (exit-signals.ts), created when first needed (a
   * state made by an older copy has none yet).
   */
  signals?: {
    readonly listeners: Map<string, () => void>;
    /** A signal is being handled: delivery is under way, the process ends after it. */
    stopping: boolean;
  };
}

const key = Symbol.for('@logtank/core.process-state');

function create(): ProcessState {
  return {
    exitClients: new Set(),
    exitListening: false,
    exiting: false,
    stderrStalled: false,
    warned: new Set(),
  };
}

const shared = globalThis as Record<symbol, ProcessState | undefined>;
shared[key] ??= create();

/** This process's (this thread's) shared state. */
export const processState: ProcessState = shared[key];

/** True the first time `code` is asked for in this process: for warnings given once. */
export function firstTime(code: string): boolean {
  if (processState.warned.has(code)) return false;
  processState.warned.add(code);
  return true;
}
