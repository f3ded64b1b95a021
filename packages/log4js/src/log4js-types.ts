/**
 * The parts of log4js this appender reads, written structurally so the
 * package needs no import of log4js (and its declarations none either).
 * log4js 6's own `LoggingEvent` and `LayoutsParam` fit these shapes.
 */

/** A log4js level, as carried by a logging event. */
export interface Log4jsLevel {
  /** The level's name, e.g. `INFO`, custom levels included. */
  levelStr: string;
}

/** What log4js hands an appender for each log call. */
export interface Log4jsLoggingEvent {
  /** When the log call happened. */
  startTime: Date;
  /** The logger's category. */
  categoryName: string;
  /** The arguments of the log call, format string not applied. */
  data: unknown[];
  level: Log4jsLevel;
  /** The logger's context (`logger.addContext`). */
  context?: Record<string, unknown>;
  pid?: number;
  /** The first Error in `data` (log4js 6.8 and later). */
  error?: Error;
  /** Set on events that a cluster worker sent to the master. */
  cluster?: { workerId: number; worker: number };
  /** Call site fields, set when the logger has `enableCallStack`. */
  fileName?: string;
  lineNumber?: number;
  columnNumber?: number;
  className?: string;
  functionName?: string;
  functionAlias?: string;
  callerName?: string;
}

/**
 * A log4js layout: turns an event into a line. Declared through a method so
 * its parameter is checked bivariantly: log4js types its layouts with its own
 * richer `LoggingEvent`, and those must still fit here.
 */
export type Log4jsLayout = {
  layout(loggingEvent: Log4jsLoggingEvent): unknown;
}['layout'];

/** The `layouts` module log4js passes to `configure`. */
export interface Log4jsLayouts {
  messagePassThroughLayout: Log4jsLayout;
  // biome-ignore lint/suspicious/noExplicitAny: log4js types a layout's config loosely; any keeps its LayoutsParam assignable.
  layout(name: string, config: any): Log4jsLayout | undefined;
}
