import type { LogRecord } from '@logtank/core';
import { safeJsonStringify } from '@logtank/core';
import type { LabelKey } from './appender-options.ts';
import { eventTimeMs } from './event-time.ts';
import type { JsonContent } from './json-content.ts';
import type { Log4jsLayout, Log4jsLoggingEvent } from './log4js-types.ts';

/** Turns a log4js event into the record the client sends. */
export type RecordMaker = (event: Log4jsLoggingEvent) => LogRecord;

/**
 * Builds the record maker: `content` from the layout (or the default JSON
 * content), `timeMs` from the event's `startTime`, and per-record labels from
 * `labelKeys`.
 */
export function createRecordMaker(
  jsonContent: JsonContent,
  layout: Log4jsLayout | undefined,
  labelKeys: readonly LabelKey[],
): RecordMaker {
  const contentOf = layout === undefined ? jsonContent : guardLayout(layout, jsonContent);
  const withCategory = labelKeys.includes('category');
  const withLevel = labelKeys.includes('level');
  return (event) => {
    const record: LogRecord = { content: contentOf(event) };
    const timeMs = eventTimeMs(event.startTime);
    if (timeMs !== undefined) record.timeMs = timeMs;
    if (withCategory || withLevel) {
      const labels: Record<string, string> = {};
      if (withCategory) labels.category = String(event.categoryName);
      if (withLevel) labels.level = String(event.level?.levelStr);
      record.labels = labels;
    }
    return record;
  };
}

/**
 * Makes a configured log4js layout safe to call: its output becomes a
 * string, and a layout that throws (a pattern token function, say) must not
 * make the log call throw, so that event goes out as default JSON content
 * with the layout's error in `layoutError`.
 */
function guardLayout(
  layout: Log4jsLayout,
  jsonContent: JsonContent,
): (event: Log4jsLoggingEvent) => string {
  return (event) => {
    let output: unknown;
    try {
      output = layout(event);
    } catch (error) {
      return jsonContent(event, {
        layoutError: error instanceof Error ? error.message : String(error),
      });
    }
    if (typeof output === 'string') return output;
    return output === undefined || output === null ? '' : safeJsonStringify(output);
  };
}
