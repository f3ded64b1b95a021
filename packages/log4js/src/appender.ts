import { type ClientStats, LtsClient } from '@logtank/core';
import { type LtsAppenderConfig, resolveAppenderConfig } from './appender-options.ts';
import { createJsonContent } from './json-content.ts';
import { createRecordMaker } from './log-record.ts';
import type { Log4jsLayouts, Log4jsLoggingEvent } from './log4js-types.ts';

/** The function log4js calls for each event, with the `shutdown` log4js calls on `log4js.shutdown()`. */
export interface LtsAppender {
  (loggingEvent: Log4jsLoggingEvent): void;
  /**
   * Delivers what is buffered, closes the client, then calls `callback` (with
   * no error) — always, within the client's `closeTimeoutMs` even when LTS is
   * unreachable; records still undelivered then are reported as dropped.
   * Safe to call more than once; the callback is optional.
   */
  shutdown(callback?: (error?: Error) => void): void;
  /** The client's counters (`sent`, `delivered`, `dropped`, `droppedByReason`, …), also after shutdown. */
  stats(): ClientStats;
}

/**
 * The appenders of this process, newest last (a reconfiguration replaces
 * them, so only the latest are kept). On `globalThis` under a registered
 * symbol: log4js loads this package with `require` while an ESM app imports
 * it, and both copies must see the same appenders.
 */
const registry = globalThis as { [key: symbol]: LtsAppender[] | undefined };
const registryKey = Symbol.for('@logtank/log4js.appenders');
registry[registryKey] ??= [];
const appenders: LtsAppender[] = registry[registryKey];
const appendersKept = 64;

/**
 * The counters of each @logtank/log4js appender of this process (the latest
 * 64, in the order log4js configured them), also after `log4js.shutdown()`:
 * log4js gives the app no handle on its appenders.
 *
 * @example
 * ```js
 * log4js.shutdown(() => {
 *   for (const counts of stats()) if (counts.dropped > 0) console.error(counts.droppedByReason);
 * });
 * ```
 */
export function stats(): ClientStats[] {
  return appenders.map((appender) => appender.stats());
}

/**
 * The log4js appender entry point: log4js calls it with the appender's config
 * (from `log4js.configure({ appenders: { lts: { type: '@logtank/log4js', ... } } })`)
 * and its layouts. Bad options throw {@link LtsOptionsError} here, so they
 * surface from `log4js.configure()`.
 *
 * @param config - the appender's entry in `appenders`: client options plus `layout` and `labelKeys`.
 * @param layouts - log4js's layouts module.
 */
export function configure(
  config?: Partial<LtsAppenderConfig>,
  layouts?: Log4jsLayouts,
  _findAppender?: unknown,
  _levels?: unknown,
): LtsAppender {
  const resolved = resolveAppenderConfig(config, layouts);
  // Without onError/onDrop, core reports problems as throttled process warnings and
  // writes dropped records to stderr (its `fallback`): nothing is lost silently.
  const client = new LtsClient(resolved.client);
  const makeRecord = createRecordMaker(createJsonContent(), resolved.layout, resolved.labelKeys);

  const appender = ((loggingEvent: Log4jsLoggingEvent) => {
    let record: ReturnType<typeof makeRecord>;
    try {
      record = makeRecord(loggingEvent);
    } catch (error) {
      // Only a hostile event gets here (its getters throw); the log call still must not throw.
      record = { content: `[@logtank/log4js could not read the event: ${String(error)}]` };
    }
    client.send(record);
  }) as LtsAppender;

  let closed: Promise<void> | undefined;
  const closeOnce = (): Promise<void> => {
    closed ??= client.close();
    return closed;
  };
  appender.stats = () => client.stats();
  appenders.push(appender);
  if (appenders.length > appendersKept) appenders.shift();
  appender.shutdown = (callback) => {
    void closeOnce().then(() => {
      // Outside the promise chain: an exception in the callback is the app's, not a rejection of ours.
      if (typeof callback === 'function') process.nextTick(callback);
    });
  };
  return appender;
}
