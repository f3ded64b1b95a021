import { safeJsonStringify } from '@logtank/core';
import { eventTimeMs } from './event-time.ts';
import { formatArguments } from './format-arguments.ts';
import type { Log4jsLoggingEvent } from './log4js-types.ts';

/** Makes the default content of an event; `extra` fields are appended (the record maker adds `layoutError`). */
export type JsonContent = (event: Log4jsLoggingEvent, extra?: Record<string, unknown>) => string;

/** Call-site fields log4js adds with `enableCallStack`; `callStack` itself is left out for its size. */
const locationKeys = [
  'fileName',
  'lineNumber',
  'columnNumber',
  'className',
  'functionName',
  'functionAlias',
  'callerName',
] as const;

/**
 * The default content: one JSON object per event,
 * `{ time, level, category, message, context?, pid, error?, location?, cluster? }`.
 * `message` is the log call's arguments formatted as log4js's own layouts
 * format them (`util.format`, through a faster equivalent); `error` is the
 * first Error among them with its name, message, stack and own fields, which
 * plain JSON.stringify would lose.
 */
export function createJsonContent(): JsonContent {
  // Levels and categories repeat: their JSON literals are made once each.
  const literals = new Map<string, string>();
  const literal = (value: string): string => {
    let text = literals.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      if (literals.size < 1000) literals.set(value, text);
    }
    return text;
  };
  // Events come many to a millisecond, from one process: both strings are reused.
  let lastMs = Number.NaN;
  let lastIso = '';
  const ownPid = process.pid;
  const ownPidField = `,"pid":${ownPid}`;
  const isoTime = (ms: number): string => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = new Date(ms).toISOString();
    }
    return lastIso;
  };
  return (event, extra) => {
    // Written field by field: only what the app supplies (context, errors,
    // extras) goes through the careful serializer, the rest is known to be plain.
    let line = `{"time":"${isoTime(eventTimeMs(event.startTime) ?? Date.now())}","level":${literal(String(event.level?.levelStr))},"category":${literal(String(event.categoryName))},"message":${JSON.stringify(messageOf(event))}`;
    if (isNonEmptyObject(event.context)) line += `,"context":${safeJsonStringify(event.context)}`;
    const pid = event.pid ?? ownPid;
    line += pid === ownPid ? ownPidField : `,"pid":${safeJsonStringify(pid)}`;
    const error = errorOf(event);
    if (error !== undefined) line += `,"error":${safeJsonStringify(error)}`;
    const location = locationOf(event);
    if (location !== undefined) line += `,"location":${safeJsonStringify(location)}`;
    if (event.cluster !== undefined) line += `,"cluster":${safeJsonStringify(event.cluster)}`;
    if (extra !== undefined) {
      for (const [key, value] of Object.entries(extra))
        line += `,${JSON.stringify(key)}:${safeJsonStringify(value)}`;
    }
    return `${line}}`;
  };
}

function messageOf(event: Log4jsLoggingEvent): string {
  try {
    return formatArguments(event.data);
  } catch {
    // util.format can throw (a Proxy, a throwing Symbol.toPrimitive): keep the data anyway.
    return safeJsonStringify(event.data);
  }
}

/** log4js before 6.8 has no `event.error`: find the first Error the same way it does. */
function errorOf(event: Log4jsLoggingEvent): Error | undefined {
  if (event.error instanceof Error) return event.error;
  return Array.isArray(event.data)
    ? (event.data.find((item) => item instanceof Error) as Error | undefined)
    : undefined;
}

function locationOf(event: Log4jsLoggingEvent): Record<string, unknown> | undefined {
  let location: Record<string, unknown> | undefined;
  for (const key of locationKeys) {
    const value = event[key];
    if (value === undefined || value === '') continue;
    location ??= {};
    location[key] = value;
  }
  return location;
}

function isNonEmptyObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  // No array of keys per event: the first own enumerable key is enough.
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
