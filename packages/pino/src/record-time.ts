import {
  isDigit,
  keyPrefix,
  numberEnd,
  readNumber,
  readString,
  topLevelValueIndex,
} from './json-fields.ts';

const timePrefix = keyPrefix('time');

/** Below this an epoch number is in seconds (1e11 ms is 1973; 1e11 s is the year 5138). */
const secondsBelow = 1e11;
/** Below this (and from {@link secondsBelow}) an epoch number is in milliseconds. */
const millisecondsBelow = 1e14;
/** Below this it is in microseconds; from here on, nanoseconds. */
const microsecondsBelow = 1e17;

/**
 * A record's time: epoch milliseconds (a number, possibly fractional), epoch
 * nanoseconds (a bigint, only when the source is finer than a microsecond), or
 * undefined when the line has no usable time and "now" applies.
 */
export type RecordTime = number | bigint | undefined;

/**
 * Reads the time of JSON log lines from their top-level `time` field, without
 * parsing the lines. pino writes epoch milliseconds by default, epoch seconds
 * with `stdTimeFunctions.unixTime`, an ISO 8601 string with `isoTime`, and
 * nothing with `timestamp: false`.
 *
 * One reader per stream: it remembers the last whole second of an ISO time,
 * because consecutive lines nearly always share it and `Date.parse` is the
 * slowest step of the line.
 */
export class TimeReader {
  /** `YYYY-MM-DDTHH:MM:SS` of the last ISO time seen in pino's shape, and its epoch ms. */
  private isoSecond = '';
  private isoSecondMs = 0;

  /** The time of one line, or undefined when it has no usable time ("now" applies). */
  read(line: string): RecordTime {
    const index = pinoTimeIndex(line) ?? topLevelValueIndex(line, timePrefix);
    if (index === -1) return undefined;
    const code = line.charCodeAt(index);
    if (isDigit(code)) {
      return fromEpochNumber(readNumber(line, index), line, index, numberEnd(line, index));
    }
    if (code !== 34 /* " */) return undefined;
    const cached = this.sameSecond(line, index + 1);
    if (cached !== undefined) return cached;
    const text = readString(line, index);
    if (text === undefined) return undefined;
    const time = fromText(text);
    if (typeof time === 'number' && isPinoIsoTime(text, 0)) {
      this.isoSecond = text.slice(0, isoSecondLength);
      this.isoSecondMs = time - millisecondsOf(text, 0);
    }
    return time;
  }

  /** The time when the string at `start` is pino's ISO shape within the remembered second. */
  private sameSecond(line: string, start: number): number | undefined {
    if (this.isoSecond === '' || !isPinoIsoTime(line, start)) return undefined;
    if (line.charCodeAt(start + isoLength) !== 34 /* closing " */) return undefined;
    if (!line.startsWith(this.isoSecond, start)) return undefined;
    return this.isoSecondMs + millisecondsOf(line, start);
  }
}

const pinoStart = '{"level":';
const pinoTimeAfterLevel = ',"time":';

/**
 * Where the time value starts in a line exactly as pino writes it by default
 * (`{"level":30,"time":...`), found without a scan; undefined for any other
 * shape, which the general search then handles.
 */
function pinoTimeIndex(line: string): number | undefined {
  if (!line.startsWith(pinoStart)) return undefined;
  let position = pinoStart.length;
  while (isDigit(line.charCodeAt(position))) position++;
  if (position === pinoStart.length || !line.startsWith(pinoTimeAfterLevel, position))
    return undefined;
  return position + pinoTimeAfterLevel.length;
}

/** `2024-01-31T12:34:56` */
const isoSecondLength = 19;
/** `2024-01-31T12:34:56.789Z`, as `new Date().toISOString()` writes it. */
const isoLength = 24;

/** Whether `text` at `start` has the shape `....-..-..T..:..:..DDDZ` with `.` and three digits. */
function isPinoIsoTime(text: string, start: number): boolean {
  return (
    text.charCodeAt(start + 10) === 84 /* T */ &&
    text.charCodeAt(start + isoSecondLength) === 46 /* . */ &&
    isDigit(text.charCodeAt(start + 20)) &&
    isDigit(text.charCodeAt(start + 21)) &&
    isDigit(text.charCodeAt(start + 22)) &&
    text.charCodeAt(start + 23) === 90 /* Z */ &&
    (text.length === start + isoLength || text.charCodeAt(start + isoLength) === 34)
  );
}

function millisecondsOf(text: string, start: number): number {
  return (
    (text.charCodeAt(start + 20) - 48) * 100 +
    (text.charCodeAt(start + 21) - 48) * 10 +
    (text.charCodeAt(start + 22) - 48)
  );
}

/** An epoch number in s, ms, µs or ns, told apart by magnitude. */
function fromEpochNumber(value: number, source: string, start: number, end: number): RecordTime {
  if (!(value > 0) || !Number.isFinite(value)) return undefined;
  if (value < secondsBelow) return value * 1000;
  if (value < millisecondsBelow) return value;
  if (value < microsecondsBelow) return value / 1000;
  // Nanoseconds do not fit a double exactly: keep the digits when they are plain digits.
  for (let position = start; position < end; position++) {
    if (!isDigit(source.charCodeAt(position))) return value / 1e6;
  }
  return BigInt(source.slice(start, end));
}

/** A time written as a string: epoch digits or a date (ISO 8601 and what `Date.parse` reads). */
function fromText(text: string): RecordTime {
  if (text.length === 0) return undefined;
  if (isDigit(text.charCodeAt(0)) && isAllDigits(text)) {
    return fromEpochNumber(Number(text), text, 0, text.length);
  }
  const milliseconds = Date.parse(text);
  if (Number.isNaN(milliseconds) || milliseconds <= 0) return undefined;
  const extra = subMillisecondNanoseconds(text);
  return extra === 0 ? milliseconds : BigInt(milliseconds) * 1_000_000n + BigInt(extra);
}

/** The nanoseconds beyond the millisecond in an ISO fraction (`.123456789` → 456,789); Date.parse drops them. */
function subMillisecondNanoseconds(text: string): number {
  const dot = text.indexOf('.');
  if (dot === -1) return 0;
  let nanoseconds = 0;
  let digits = 0;
  for (let position = dot + 1; position < text.length; position++) {
    const code = text.charCodeAt(position);
    if (!isDigit(code)) break;
    digits++;
    if (digits > 3 && digits <= 9) nanoseconds = nanoseconds * 10 + (code - 48);
  }
  if (digits <= 3) return 0;
  for (let padded = Math.min(digits, 9); padded < 9; padded++) nanoseconds *= 10;
  return nanoseconds;
}

function isAllDigits(text: string): boolean {
  for (let position = 0; position < text.length; position++) {
    if (!isDigit(text.charCodeAt(position))) return false;
  }
  return true;
}
