import type { ClientStats, DropEvent } from '@logtank/core';
import type { ChildRun } from '@logtank/test-support';

/**
 * A logger of the adapter's framework in this process, whose only
 * destination is LTS.
 */
export interface AdapterLogger {
  /** Logs `message` at info level. */
  info(message: string): void;
  /**
   * Ends the logger the documented way. Resolves once every record is
   * delivered or reported lost; rejects when the framework hands its end
   * callback an error.
   */
  end(): Promise<void>;
  /**
   * The delivery errors and drops the adapter reported to an app that
   * listens: winston's 'warn' events; with log4js and pino, onError/onDrop
   * (collected here unless the options bring their own callbacks, which then
   * take their place).
   */
  readonly errors: Error[];
  readonly drops: DropEvent[];
  /** Where the adapter offers a flush: resolves once everything logged so far is delivered. */
  flush?: () => Promise<void>;
  /** Where the adapter exposes its client (winston's `transport.client`): its counters. */
  stats?: () => ClientStats;
}

/**
 * How the adapter's fixture app ends:
 * - `end`: the documented shutdown (winston's `logger.end()` after `finish`,
 *   `log4js.shutdown(callback)`, pino's `transport.end()`);
 * - `end-then-exit`: the documented shutdown, then `process.exit(0)` inside its callback;
 * - `natural`: nothing; the program runs out of work;
 * - `exit`: `process.exit(0)` right after logging;
 * - `survive`: logs, waits 500 ms, logs as many again, then the documented
 *   shutdown, and writes `alive` (a refused token must not stop the app);
 * - `sigterm`: logs, then stays alive (as a server does) until SIGTERM
 *   stops it, set up as the adapter's README says (nothing, or pino's
 *   one-line listener in worker mode).
 */
export type AppEnding = 'end' | 'end-then-exit' | 'natural' | 'exit' | 'survive' | 'sigterm';

/** One run of the fixture app. */
export interface AppRun {
  ending: AppEnding;
  /** It logs `record 0` … `record <records - 1>`. */
  records: number;
  /** The adapter's options (the client's options included), as JSON. */
  options: object;
  /** Variables added to the app's environment. */
  environment?: Record<string, string>;
}

/** The adapter's fixture app, run in a child process. */
export interface AdapterApp {
  run(settings: AppRun): Promise<ChildRun>;
  /** The endings this app has. */
  endings: readonly AppEnding[];
  /**
   * The line (a regular expression's source) the app writes on stdout when
   * its documented shutdown completes; group 1 is how long the shutdown took
   * in ms. Undefined when the app writes nothing (pino's worker app).
   */
  shutdownLine: string | undefined;
  /**
   * What becomes of the records buffered when the app calls process.exit():
   * `reported` (core's exit hook writes each to stderr: nothing can be sent
   * from an exiting process) or `delivered` (pino holds the exiting process
   * until its worker has sent them).
   */
  processExit: 'reported' | 'delivered';
  /** Record `index` as the app logs it, in the form {@link recordOf} gives a stored content. */
  expectedRecord(index: number): unknown;
  /** A stored record's content (or a line written to stderr in its place), in the form the tests compare. */
  recordOf(content: string): unknown;
}

/** What the shared scenarios need of an adapter. */
export interface AdapterDriver {
  /** The adapter's package name. */
  packageName: string;
  /** Starts a logger with these options (the client's options included). */
  startLogger(options: object): Promise<AdapterLogger>;
  /** Ends every logger a test left open (for afterEach). */
  endLoggers(): Promise<void>;
  /** The message of a stored record's content. */
  messageOf(content: string): string;
  app: AdapterApp;
}
