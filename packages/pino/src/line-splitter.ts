import { StringDecoder } from 'node:string_decoder';

/** Default of `maxLineBytes`: 1 MiB. */
export const defaultMaxLineBytes = 1024 * 1024;

/**
 * Bytes kept free for the marker core ends a cut record with
 * (`…[truncated by logtank: N bytes]`, 49 bytes with a 16-digit size), so a
 * cut line with its marker stays within maxLineBytes.
 */
const markerRoomBytes = 64;

/** A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair takes 4 for 2 units). */
const maxBytesPerUnit = 3;

const carriageReturn = 13;

/**
 * Cuts a byte or text stream into lines (`\n` or `\r\n`), keeping a partial
 * last line for the next chunk and never splitting a UTF-8 character. One
 * indexOf per line and no stream object per line: splitting costs tens of
 * nanoseconds a line, where a per-line stream push costs a microsecond.
 * Lines are taken one at a time with `next()`, so a reader can stop in the
 * middle of a chunk and go on later.
 *
 * Memory is bounded by `maxLineBytes`: a longer line is cut to its first
 * bytes, and `cutFromBytes` gives its whole size in UTF-8 (without the line
 * break), for core to end it with its marker; the rest of it is only counted
 * as it streams in, until the next newline.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** The current chunk, read from `start` on. */
  private text = '';
  private start = 0;
  /** The line begun in earlier chunks; only its head once it is being cut. */
  private rest = '';
  /** UTF-8 bytes of the line begun in earlier chunks, cut ones included; -1 while too short to measure. */
  private restBytes = -1;
  /** The line begun in earlier chunks is longer than maxLineBytes: what follows is only counted. */
  private cutting = false;
  /** While cutting: the last character counted was a carriage return (of a `\r\n` split by a chunk). */
  private countedReturnLast = false;
  private ended = false;
  private truncated = 0;
  private lastCutFromBytes: number | undefined;
  /** Lines of at most this many UTF-16 units fit maxLineBytes whatever they hold: the hot path measures nothing. */
  private readonly unmeasuredUnits: number;
  /** What is kept of a cut line, leaving room for the marker. */
  private readonly headBytes: number;

  /** @param maxLineBytes the longest line kept whole, in UTF-8 bytes (at least 1,024). */
  constructor(private readonly maxLineBytes: number = defaultMaxLineBytes) {
    this.unmeasuredUnits = Math.floor(maxLineBytes / maxBytesPerUnit);
    this.headBytes = Math.max(0, maxLineBytes - markerRoomBytes);
  }

  /** Lines cut at maxLineBytes so far. */
  get truncatedLines(): number {
    return this.truncated;
  }

  /** The whole size (UTF-8 bytes) of the line `next()` just returned when it was cut; else undefined. */
  get cutFromBytes(): number | undefined {
    return this.lastCutFromBytes;
  }

  /** Adds a chunk; take its lines with `next()`. */
  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    // Normally the previous chunk was read to its end; if not, its unread part comes first.
    this.text = this.start < this.text.length ? this.text.slice(this.start) + text : text;
    this.start = 0;
  }

  /** The next line, or undefined when the chunks so far hold no more complete ones. */
  next(): string | undefined {
    this.lastCutFromBytes = undefined;
    const end = this.text.indexOf('\n', this.start);
    if (end === -1) return this.partialLine();
    const line = this.text.slice(this.start, end);
    this.start = end + 1;
    if (this.rest.length > 0 || this.cutting) return this.completeLine(line);
    // The hot path: a whole line inside one chunk.
    const content = withoutReturn(line);
    return content.length > this.unmeasuredUnits ? this.bounded(content) : content;
  }

  /** The stream ended: `next()` also returns a last line that has no newline. */
  end(): void {
    this.push(this.decoder.end());
    this.ended = true;
  }

  /** The chunk holds no more newlines: keep its tail for the next chunk (or end the last line). */
  private partialLine(): string | undefined {
    // Only the line that spans two chunks is ever joined; a chunk is never copied.
    const partial = this.start < this.text.length ? this.text.slice(this.start) : '';
    this.text = '';
    this.start = 0;
    if (!this.ended) {
      this.keep(partial);
      return undefined;
    }
    if (partial.length === 0 && this.rest.length === 0 && !this.cutting) return undefined;
    const line = this.completeLine(partial);
    return line.length > 0 ? line : undefined;
  }

  /** Holds the start of a line until its newline arrives, at most maxLineBytes of it. */
  private keep(partial: string): void {
    if (partial.length === 0) return;
    if (this.cutting) {
      this.restBytes += Buffer.byteLength(partial);
      this.countedReturnLast = partial.charCodeAt(partial.length - 1) === carriageReturn;
      return;
    }
    this.rest = this.rest.length === 0 ? partial : this.rest + partial;
    if (this.rest.length <= this.unmeasuredUnits) return;
    // Measured once when it gets long, then chunk by chunk: never the whole line again.
    this.restBytes =
      this.restBytes === -1
        ? Buffer.byteLength(this.rest)
        : this.restBytes + Buffer.byteLength(partial);
    if (this.restBytes > this.maxLineBytes) {
      this.rest = utf8Head(this.rest, this.headBytes);
      this.cutting = true;
      this.countedReturnLast = partial.charCodeAt(partial.length - 1) === carriageReturn;
    }
  }

  /** The line begun in earlier chunks, ended by `tail` (the text before its newline). */
  private completeLine(tail: string): string {
    const head = this.rest;
    const headBytes = this.restBytes;
    const cutting = this.cutting;
    const countedReturnLast = this.countedReturnLast;
    this.rest = '';
    this.restBytes = -1;
    this.cutting = false;
    this.countedReturnLast = false;
    if (cutting) {
      let bytes = headBytes + Buffer.byteLength(tail);
      const endsWithReturn =
        tail.length > 0 ? tail.charCodeAt(tail.length - 1) === carriageReturn : countedReturnLast;
      if (endsWithReturn) bytes -= 1;
      return this.cut(head, bytes);
    }
    const joined = head + tail;
    const line = withoutReturn(joined);
    if (line.length <= this.unmeasuredUnits) return line;
    if (headBytes === -1) return this.bounded(line);
    const bytes = headBytes + Buffer.byteLength(tail) - (joined.length - line.length);
    return bytes > this.maxLineBytes ? this.cut(line, bytes) : line;
  }

  /** `line` as it is when it fits maxLineBytes, else cut. */
  private bounded(line: string): string {
    const bytes = Buffer.byteLength(line);
    return bytes > this.maxLineBytes ? this.cut(line, bytes) : line;
  }

  private cut(line: string, bytes: number): string {
    this.truncated += 1;
    this.lastCutFromBytes = bytes;
    return utf8Head(line, this.headBytes);
  }
}

function withoutReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === carriageReturn ? line.slice(0, -1) : line;
}

/** The longest start of `text` that takes at most `maxBytes` in UTF-8, never splitting a character. */
function utf8Head(text: string, maxBytes: number): string {
  // Every unit takes at least a byte: no more than maxBytes units can fit.
  let candidate = text.length > maxBytes ? text.slice(0, maxBytes) : text;
  const last = candidate.charCodeAt(candidate.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) candidate = candidate.slice(0, -1);
  const bytes = Buffer.from(candidate);
  if (bytes.length <= maxBytes) return candidate;
  let end = maxBytes;
  // Back to the first byte of the character the limit falls in (continuation bytes are 10xxxxxx).
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.toString('utf8', 0, end);
}
