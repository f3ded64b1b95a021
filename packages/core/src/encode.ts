import { type Instant, toDigits } from './clock.ts';

/*
 * LTS request bodies, built as strings. JSON.stringify of a string escapes
 * control characters and (since ES2019) lone surrogates, so every content
 * becomes a well-formed JSON string that round-trips exactly.
 */

/** Marker appended to a record cut to fit a request. */
export const truncationMarker = (originalBytes: number): string =>
  `…[truncated by logtank: ${originalBytes} bytes]`;

/** A content as a JSON string literal. */
export function encodeString(value: string): string {
  return JSON.stringify(value);
}

/** UTF-8 length of an encoded (JSON) string. */
export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** One entry of a high-accuracy body. */
export function encodeHighAccuracyEntry(time: Instant, encodedContent: string): string {
  return `{"log_time_ns":${toDigits(time)},"log":${encodedContent}}`;
}

/** Bytes a high-accuracy entry adds around its content: the time is at most 19 digits. */
export const highAccuracyEntryOverhead = '{"log_time_ns":,"log":}'.length + 19;

/** The body of the standard API: one base time, the i-th content is at base + i ns. */
export function standardBody(
  baseTime: Instant,
  parts: readonly string[],
  labelsJson: string,
): string {
  return `{"log_time_ns":${toDigits(baseTime)},"contents":[${parts.join(',')}],"labels":${labelsJson}}`;
}

/** The body of the high-accuracy API: each part is an encoded entry. */
export function highAccuracyBody(parts: readonly string[], labelsJson: string): string {
  return `{"contents":[${parts.join(',')}],"labels":${labelsJson}}`;
}

/** Bytes of a body around its parts (without the commas between them). */
export function envelopeBytes(api: 'standard' | 'high-accuracy', labelsJson: string): number {
  const labels = utf8Length(labelsJson);
  return api === 'standard'
    ? '{"log_time_ns":,"contents":[],"labels":}'.length + 19 + labels
    : '{"contents":[],"labels":}'.length + labels;
}

/**
 * Cuts `content` so that its JSON encoding takes at most `maxEncodedBytes`,
 * marker included, without splitting a surrogate pair.
 */
export function truncateToFit(content: string, maxEncodedBytes: number): string {
  const originalBytes = utf8Length(encodeString(content));
  const marker = truncationMarker(originalBytes);
  const budget = maxEncodedBytes - utf8Length(encodeString(marker));
  if (budget <= 2) return marker.slice(0, Math.max(1, maxEncodedBytes - 2));
  // Escapes can make a character take up to 6 bytes encoded (\u001f): guess
  // from the measured ratio and shrink until it fits.
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
