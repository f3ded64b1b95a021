import { type Instant, toDigits } from './clock.ts';

/*
 * LTS request bodies, built as strings. JSON.stringify escapes control
 * characters and (since ES2019) lone surrogates, so every content becomes a
 * well-formed JSON string that round-trips exactly. Contents are encoded a
 * whole batch at a time: one JSON.stringify of an array costs a third of one
 * call per record.
 */

/** Marker appended to a record cut to fit a request. */
export const truncationMarker = (originalBytes: number): string =>
  `…[truncated by logtank: ${originalBytes} bytes]`;

/** A content as a JSON string literal. */
export function encodeString(value: string): string {
  return JSON.stringify(value);
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
): string {
  return `{"log_time_ns":${toDigits(baseTime)},"contents":${JSON.stringify(contents)},"labels":${labelsJson}}`;
}

/** The body of the high-accuracy API: each content with its own time. */
export function highAccuracyBody(
  contents: readonly string[],
  times: readonly Instant[],
  labelsJson: string,
): string {
  // Inside JSON string literals every quote is escaped, so `","` occurs in the
  // encoded array only between elements: splitting there yields each literal.
  const literals = JSON.stringify(contents).slice(2, -2).split('","');
  let entries = '';
  for (let index = 0; index < literals.length; index++) {
    entries += `${index === 0 ? '' : ','}{"log_time_ns":${toDigits(times[index]!)},"log":"${literals[index]}"}`;
  }
  return `{"contents":[${entries}],"labels":${labelsJson}}`;
}

/** Bytes a high-accuracy entry adds around its content literal (time at most 19 digits). */
export const highAccuracyEntryOverhead = '{"log_time_ns":,"log":}'.length + 19;

/** Bytes of a body around its content literals and the commas between them. */
export function envelopeBytes(api: 'standard' | 'high-accuracy', labelsJson: string): number {
  const labels = utf8Length(labelsJson);
  return api === 'standard'
    ? '{"log_time_ns":,"contents":[],"labels":}'.length + 19 + labels
    : '{"contents":[],"labels":}'.length + labels;
}

/** The most bytes a content of `length` UTF-16 units can take as a JSON literal (\u001f is 6 bytes). */
export function worstCaseLiteralBytes(length: number): number {
  return length * 6 + 2;
}

/**
 * Cuts `content` so that its JSON literal takes at most `maxLiteralBytes`,
 * marker included, without splitting a surrogate pair.
 */
export function truncateToFit(content: string, maxLiteralBytes: number): string {
  const originalBytes = utf8Length(encodeString(content));
  const marker = truncationMarker(originalBytes);
  const budget = maxLiteralBytes - utf8Length(encodeString(marker));
  if (budget <= 2) return marker.slice(0, Math.max(1, maxLiteralBytes - 2));
  // Escapes can make a character take up to 6 bytes: guess from the measured
  // ratio and shrink until it fits.
  let length = Math.min(content.length, Math.floor((content.length * budget) / originalBytes));
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
