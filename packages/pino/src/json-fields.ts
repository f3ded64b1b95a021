/**
 * Reads single top-level fields out of one line of JSON without parsing the
 * whole line: this runs once per log line in the worker, so it scans only as
 * far as the field, allocates nothing, and never throws.
 */

const quote = 34; // "
const backslash = 92; // \
const openBrace = 123; // {
const closeBrace = 125; // }
const openBracket = 91; // [
const closeBracket = 93; // ]
const zero = 48;
const nine = 57;
const minus = 45;
const plus = 43;
const dot = 46;
const lowerE = 101;
const upperE = 69;

/** The text a JSON writer puts before the value of `key` (no whitespace, as pino writes it). */
export function keyPrefix(key: string): string {
  return `${JSON.stringify(key)}:`;
}

/**
 * The index of the first character of the value of the top-level field whose
 * {@link keyPrefix} is `prefix`, or -1 when the line has no such field.
 *
 * `"time":` can only appear in JSON text as a key named `time` (inside a
 * string the quote would be escaped), so the only question is whether that key
 * belongs to the top-level object or a nested one. The scan before each match
 * tracks nesting and strings; pino writes `level` and `time` first, so for its
 * lines the scan covers a dozen characters.
 */
export function topLevelValueIndex(line: string, prefix: string): number {
  let match = line.indexOf(prefix);
  if (match === -1) return -1;
  let depth = 0;
  let inString = false;
  let position = 0;
  while (match !== -1) {
    for (; position < match; position++) {
      const code = line.charCodeAt(position);
      if (inString) {
        if (code === backslash) position++;
        else if (code === quote) inString = false;
      } else if (code === quote) {
        inString = true;
      } else if (code === openBrace || code === openBracket) {
        depth++;
      } else if (code === closeBrace || code === closeBracket) {
        depth--;
      }
    }
    // position === match means the quote at `match` was not skipped as escaped.
    if (position === match && depth === 1 && !inString) return match + prefix.length;
    match = line.indexOf(prefix, match + 1);
  }
  return -1;
}

/** Whether the character code is an ASCII digit. */
export function isDigit(code: number): boolean {
  return code >= zero && code <= nine;
}

/** The index just past the JSON number starting at `index`. */
export function numberEnd(line: string, index: number): number {
  let end = index;
  for (; end < line.length; end++) {
    const code = line.charCodeAt(end);
    const inNumber =
      isDigit(code) ||
      code === minus ||
      code === plus ||
      code === dot ||
      code === lowerE ||
      code === upperE;
    if (!inNumber) break;
  }
  return end;
}

/**
 * The JSON number starting at `index`. Plain integers (what pino writes for
 * `level` and `time`) are read digit by digit without allocating; anything
 * else goes through `Number()`. NaN when it is not a number.
 */
export function readNumber(line: string, index: number): number {
  let value = 0;
  let position = index;
  for (; position < line.length; position++) {
    const code = line.charCodeAt(position);
    if (!isDigit(code)) break;
    value = value * 10 + (code - zero);
  }
  const next = line.charCodeAt(position);
  if (position > index && next !== dot && next !== lowerE && next !== upperE) return value;
  return Number(line.slice(index, numberEnd(line, index)));
}

/**
 * The JSON string starting with the quote at `index`, decoded, or undefined
 * when it is not a well-formed string.
 */
export function readString(line: string, index: number): string | undefined {
  if (line.charCodeAt(index) !== quote) return undefined;
  let escaped = false;
  for (let position = index + 1; position < line.length; position++) {
    const code = line.charCodeAt(position);
    if (code === backslash) {
      escaped = true;
      position++;
    } else if (code === quote) {
      if (!escaped) return line.slice(index + 1, position);
      try {
        return JSON.parse(line.slice(index, position + 1)) as string;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
