import { errorCodes, Refusal } from './responses.ts';
import { scanLogTimes } from './time-scan.ts';
import type { ReportApi } from './types.ts';

/** A report body that passed validation. */
export interface ValidReport {
  contents: string[];
  /** Effective time of each content, in epoch ns. */
  times: bigint[];
  labels: Record<string, string>;
}

/** The time window of the check: LTS deletes logs further than this from now. */
export interface TimeWindow {
  nowNs: bigint;
  windowNs: bigint;
}

/** Validates a report body (already decompressed) the way LTS does; throws a {@link Refusal} naming the problem. */
export function validateReport(
  text: string,
  api: Exclude<ReportApi, 'batch'>,
  window: TimeWindow,
): ValidReport {
  const record = parseJsonObject(text);
  const labels = validateLabels(record.labels);
  return api === 'standard'
    ? validateStandard(text, record, labels, window)
    : validateHighAccuracy(text, record, labels, window);
}

/** The body as a JSON object, or a 400 saying it is not one. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new Refusal(
      400,
      errorCodes.bodyNotJson,
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Refusal(400, errorCodes.bodyNotObject, 'The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function validateStandard(
  text: string,
  body: Record<string, unknown>,
  labels: Record<string, string>,
  window: TimeWindow,
): ValidReport {
  if (!('log_time_ns' in body)) {
    throw new Refusal(400, errorCodes.logTime, 'log_time_ns is required.');
  }
  const [source] = scanLogTimes(text, 1, true);
  const base = parseTime(body.log_time_ns, source, 'log_time_ns', window);
  const contents = body.contents;
  if (!Array.isArray(contents)) {
    throw new Refusal(
      400,
      errorCodes.contents,
      'contents is required and must be an array of strings.',
    );
  }
  if (contents.length === 0)
    throw new Refusal(400, errorCodes.contents, 'contents must not be empty.');
  contents.forEach((content, index) => {
    if (typeof content !== 'string' || content.length === 0) {
      throw new Refusal(400, errorCodes.contents, `contents[${index}] must be a non-empty string.`);
    }
  });
  return {
    contents: contents as string[],
    times: contents.map((_, index) => base + BigInt(index)),
    labels,
  };
}

function validateHighAccuracy(
  text: string,
  body: Record<string, unknown>,
  labels: Record<string, string>,
  window: TimeWindow,
): ValidReport {
  const entries = body.contents;
  const sources = scanLogTimes(text, 3, false);
  // Every entry has one log_time_ns, so the i-th one in the text is this entry's.
  const aligned = Array.isArray(entries) && sources.length === entries.length ? sources : undefined;
  return { ...validateTimedEntries(entries, aligned, 'contents', window), labels };
}

/**
 * Validates `[{log_time_ns, log}, …]` (the high-accuracy `contents`, and each
 * producer `log_items[i].contents`), naming problems by `field`. `sources`
 * are the exact texts of the times, one per entry, when known.
 */
export function validateTimedEntries(
  entries: unknown,
  sources: readonly string[] | undefined,
  field: string,
  window: TimeWindow,
): { contents: string[]; times: bigint[] } {
  if (!Array.isArray(entries)) {
    throw new Refusal(
      400,
      errorCodes.contents,
      `${field} is required and must be an array of {log_time_ns, log} objects.`,
    );
  }
  if (entries.length === 0)
    throw new Refusal(400, errorCodes.contents, `${field} must not be empty.`);
  const contents: string[] = [];
  const times: bigint[] = [];
  entries.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new Refusal(
        400,
        errorCodes.contents,
        `${field}[${index}] must be an object {log_time_ns, log}.`,
      );
    }
    const { log, log_time_ns: time } = entry as Record<string, unknown>;
    if (typeof log !== 'string' || log.length === 0) {
      throw new Refusal(
        400,
        errorCodes.contents,
        `${field}[${index}].log must be a non-empty string.`,
      );
    }
    if (time === undefined) {
      throw new Refusal(400, errorCodes.logTime, `${field}[${index}].log_time_ns is required.`);
    }
    times.push(parseTime(time, sources?.[index], `${field}[${index}].log_time_ns`, window));
    contents.push(log);
  });
  return { contents, times };
}

/** An exact integer time from its source text (number or string of digits), within the window. */
export function parseTime(
  value: unknown,
  source: string | undefined,
  field: string,
  window: TimeWindow,
): bigint {
  let digits: string | undefined;
  if (typeof value === 'number' && source !== undefined && /^-?\d+$/.test(source)) digits = source;
  else if (typeof value === 'string' && /^\d+$/.test(value)) digits = value;
  if (digits === undefined) {
    throw new Refusal(
      400,
      errorCodes.logTime,
      `${field} must be an integer number of nanoseconds (a JSON integer or a string of digits).`,
    );
  }
  const time = BigInt(digits);
  const distance = time > window.nowNs ? time - window.nowNs : window.nowNs - time;
  if (distance > window.windowNs) {
    throw new Refusal(
      400,
      errorCodes.logTimeOutOfRange,
      `${field} ${digits} is more than ${window.windowNs / 3_600_000_000_000n} hours from the server time ${window.nowNs}.`,
    );
  }
  return time;
}

/** Labels: an object whose values are strings; problems named by `field`. */
export function validateLabels(labels: unknown, field = 'labels'): Record<string, string> {
  if (labels === undefined)
    throw new Refusal(
      400,
      errorCodes.labels,
      `${field} is required (an object of strings; {} is fine).`,
    );
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new Refusal(400, errorCodes.labels, `${field} must be an object of strings.`);
  }
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value !== 'string') {
      throw new Refusal(400, errorCodes.labels, `${field}.${key} must be a string.`);
    }
  }
  return labels as Record<string, string>;
}
