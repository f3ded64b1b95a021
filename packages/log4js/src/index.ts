/**
 * @logtank/log4js: a log4js appender that ships logs to Huawei Cloud LTS
 * through @logtank/core.
 *
 * log4js loads appenders with `require(type)` and calls the module's
 * `configure`: this entry exports `configure` by name (and no default), so
 * `require('@logtank/log4js').configure` is the appender.
 * @packageDocumentation
 */
export {
  type ClientStats,
  type DropEvent,
  LtsCredentialError,
  LtsDeliveryError,
  LtsOptionsError,
  LtsTokenError,
} from '@logtank/core';
export { configure, type LtsAppender, stats } from './appender.ts';
export type { LabelKey, LayoutConfig, LtsAppenderConfig } from './appender-options.ts';
export type {
  Log4jsLayout,
  Log4jsLayouts,
  Log4jsLevel,
  Log4jsLoggingEvent,
} from './log4js-types.ts';
export { version } from './version.ts';
