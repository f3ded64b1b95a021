import { type Instant, toDigits } from './clock.ts';
import type { LtsApi } from './types.ts';

/*
 * LTS request bodies, built as strings. JSON.stringify escapes control
 * characters and (since ES2019) lone surrogates, so every content becomes a
 * well-formed JSON string that round-trips exactly. Contents are encoded a
 * whole batch at a time: one JSON.stringify of an array costs much less
 * than one call per record (bench/NOTES.md, "Figures behind the code").
 */

/** Marker appended to a record cut to fit a request, with the record's own size in UTF-8 bytes. */
export const truncationMarker = (originalBytes: number): string =>
  `…[truncated by logtank: ${originalBytes} bytes]`;

/** A content as a JSON string literal. */
export function encodeString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Makes V8 store `value` as one flat string. A line built by concatenation
 * (winston's formats, safe-stable-stringify) is a rope of dozens of pieces:
 * kept in a batch, every piece survives garbage collections, and
 * JSON.stringify of a rope is slower than of a flat string. Converting it to
 * a number is the cheapest operation that flattens (the result is unused).
 */
export function flatten(value: string): void {
  Number(value);
}

/**
 * The UTF-8 bytes of `parts` joined, written part by part into one buffer of
 * the exact size. Joining a body into one string first would copy a megabyte
 * per batch into fresh memory. Parts that are ASCII (one byte per unit: no
 * unit above 0x7F) are copied as Latin-1, the same bytes for less than Node's
 * UTF-8 encoder costs; bodies nearly always are.
 */
export function joinUtf8(parts: readonly string[]): Buffer {
  const sizes = parts.map((part) => Buffer.byteLength(part, 'utf8'));
  let total = 0;
  for (const size of sizes) total += size;
  const bytes = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index]!;
    offset += bytes.write(part, offset, sizes[index] === part.length ? 'latin1' : 'utf8');
  }
  return bytes;
}

/** UTF-8 length of a string. */
export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** The body of the standard API: one base time, the i-th content is at base + i ns. */
export function standardBody(
  baseTime: Instant,
  contents: readonly string[],
  labelsJson: string,
): Buffer {
  return joinUtf8([
    `{"log_time_ns":${toDigits(baseTime)},"contents":`,
    JSON.stringify(contents),
    `,"labels":${labelsJson}}`,
  ]);
}

/** The body of the high-accuracy API: each content with its own time. */
export function highAccuracyBody(
  contents: readonly string[],
  times: readonly Instant[],
  labelsJson: string,
): Buffer {
  return joinUtf8(['{"contents":[', timedEntries(contents, times), `],"labels":${labelsJson}}`]);
}

/**
 * The body of the producer route (`batch` API), as Huawei's LTS producer
 * sends it: one log item whose contents carry their own times, and whose
 * labels are the labels object written as a JSON string.
 */
export function producerBody(
  contents: readonly string[],
  times: readonly Instant[],
  labelsJson: string,
  projectId: string,
): Buffer {
  return joinUtf8([
    '{"log_items":[{"contents":[',
    timedEntries(contents, times),
    `],"labels":${JSON.stringify(labelsJson)},"tenant_project_id":"${projectId}"}]}`,
  ]);
}

/** `{"log_time_ns":…,"log":"…"}` entries, comma-separated. */
function timedEntries(contents: readonly string[], times: readonly Instant[]): string {
  const literals = encodedLiterals(contents);
  let entries = '';
  for (let index = 0; index < literals.length; index++) {
    entries += `${index === 0 ? '' : ','}{"log_time_ns":${toDigits(times[index]!)},"log":"${literals[index]}"}`;
  }
  return entries;
}

/**
 * Each content as its JSON string literal without the quotes, from one
 * `JSON.stringify` of the array (cheaper than a call per record: bench/NOTES.md).
 * Elements are separated by `","` whose first quote is unescaped; a content
 * ending in `",` encodes as `…\",` and, with its closing quote, shows the
 * same three characters after an odd run of backslashes: not a separator.
 */
function encodedLiterals(contents: readonly string[]): string[] {
  const encoded = JSON.stringify(contents);
  const literals: string[] = [];
  let start = 2;
  let at = encoded.indexOf('","', start);
  while (at !== -1) {
    let backslashes = 0;
    while (encoded.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) {
      literals.push(encoded.slice(start, at));
      start = at + 3;
    }
    at = encoded.indexOf('","', backslashes % 2 === 0 ? start : at + 1);
  }
  literals.push(encoded.slice(start, -2));
  return literals;
}

/** The contents of a body built by this module, in order. */
export function decodeContents(body: string): string[] {
  const parsed = JSON.parse(body) as {
    contents?: Array<string | { log: string }>;
    log_items?: Array<{ contents: Array<{ log: string }> }>;
  };
  const entries = parsed.contents ?? parsed.log_items?.[0]?.contents ?? [];
  return entries.map((entry) => (typeof entry === 'string' ? entry : entry.log));
}

/** Bytes a high-accuracy entry adds around its content literal (time at most 19 digits). */
export const highAccuracyEntryOverhead = '{"log_time_ns":,"log":}'.length + 19;

/** Bytes of a body around its content literals and the commas between them. */
export function envelopeBytes(api: LtsApi, labelsJson: string, projectId = ''): number {
  switch (api) {
    case 'standard':
      return '{"log_time_ns":,"contents":[],"labels":}'.length + 19 + utf8Length(labelsJson);
    case 'high-accuracy':
      return '{"contents":[],"labels":}'.length + utf8Length(labelsJson);
    case 'batch':
      return (
        '{"log_items":[{"contents":[],"labels":,"tenant_project_id":""}]}'.length +
        utf8Length(JSON.stringify(labelsJson)) +
        projectId.length
      );
  }
}

/** The most bytes a content of `length` UTF-16 units can take as a JSON literal (\u001f is 6 bytes). */
export function worstCaseLiteralBytes(length: number): number {
  return length * 6 + 2;
}

/**
 * Cuts `content` so that its JSON literal takes at most `maxLiteralBytes`,
 * marker included, without splitting a surrogate pair. Only what can fit is
 * measured: a 50 MB record costs a slice, not a 50 MB JSON encoding.
 */
export function truncateToFit(
  content: string,
  maxLiteralBytes: number,
  originalBytes = utf8Length(content),
): string {
  const marker = truncationMarker(originalBytes);
  const budget = maxLiteralBytes - utf8Length(encodeString(marker));
  if (budget <= 2) return marker.slice(0, Math.max(1, maxLiteralBytes - 2));
  // Every UTF-16 unit takes at least a byte in the literal: no more can fit.
  const head = content.length > budget ? content.slice(0, budget) : content;
  const headBytes = utf8Length(encodeString(head));
  // Escapes can make a character take up to 6 bytes: guess from the measured
  // ratio and shrink until it fits.
  let length = Math.min(head.length, Math.floor((head.length * budget) / headBytes));
  for (;;) {
    let cut = length;
    const last = content.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
    const candidate = content.slice(0, cut);
    const bytes = utf8Length(encodeString(candidate));
    if (bytes <= budget) return candidate + marker;
    length = Math.min(cut - 1, Math.floor((cut * budget) / bytes));
  }
}
