import { Writable } from 'node:stream';
import type { ClientStats } from '@logtank/core';
import type { LineSplitter } from './line-splitter.ts';

/** What a {@link LineStream} does with the lines written to it. */
export interface LineStreamParts {
  /** Cuts what is written into lines (and bounds their length). */
  splitter: LineSplitter;
  /** Takes one complete line, without its newline. Never throws. */
  onLine: (line: string) => void;
  /**
   * Asked after each line when set: a promise to wait for before the next
   * line is taken (a burst the client asks to pause for), or undefined.
   */
  pauseAfterLine: (() => Promise<void> | undefined) | undefined;
  /** Resolves once every line taken so far is delivered or dropped. Never rejects. */
  flush: () => Promise<void>;
  /** Delivers what was taken and stops, within a bound. Never rejects. */
  close: () => Promise<void>;
  /** The client's counters. */
  stats: () => ClientStats;
  /**
   * When set, the first write waits for it to settle before any line is
   * taken (the worker waits for pino's levels this way).
   */
  firstLinesWait: Promise<unknown> | undefined;
  /**
   * Whether strings written are turned into Buffers first (Node's
   * `decodeStrings` option of `Writable`); false hands them over as they are.
   */
  decodeStrings: boolean;
}

/**
 * The stream pino writes to: a plain `Writable` of newline-delimited text
 * whose every line goes straight to `onLine`, with no stream object per line
 * (a per-line push through stream machinery costs about a microsecond, the
 * largest cost a worker would have).
 *
 * Only Node's documented stream API: `_write` takes a chunk's lines and calls
 * back when they are taken, so a pause holds the writer (later writes queue
 * up to the `highWaterMark`, then `write()` returns false and pino's worker
 * waits for `'drain'`); `_final` takes a last line without a newline;
 * `_destroy` (after `end()`, by `autoDestroy`) closes, and `'close'`
 * follows. Never emits `'error'` of its own.
 */
export class LineStream extends Writable {
  private readonly parts: LineStreamParts;
  /** flush() callers waiting for the writes before them to be taken. */
  private flushWaiters: Array<() => void> = [];
  /** Settles before the first line is taken; undefined once it has. */
  private firstLinesWait: Promise<unknown> | undefined;

  constructor(parts: LineStreamParts) {
    super({ decodeStrings: parts.decodeStrings });
    this.parts = parts;
    this.firstLinesWait = parts.firstLinesWait;
  }

  /**
   * The client's counters (`sent`, `delivered`, `dropped`,
   * `droppedByReason`, …), also after the stream closed. In-process only: in
   * worker mode the stream lives in pino's worker thread.
   */
  stats(): ClientStats {
    return this.parts.stats();
  }

  /** Lines cut at maxLineBytes so far. */
  get truncatedLines(): number {
    return this.parts.splitter.truncatedLines;
  }

  /**
   * pino's `logger.flush(callback)` calls this (thread-stream's README: a
   * worker's destination `flush(cb)`; in-process, pino calls the stream's
   * `flush`): `callback` runs once every line written before it is delivered
   * or dropped, lines still held by a pause included.
   */
  flush(callback: (error?: Error) => void): void {
    const deliver = () => {
      this.parts.flush().then(() => callback(), callback);
    };
    if (this.writableLength === 0) deliver();
    else this.flushWaiters.push(deliver);
  }

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.parts.splitter.push(chunk);
    const wait = this.firstLinesWait;
    if (wait === undefined) {
      this.takeLines(callback);
      return;
    }
    this.firstLinesWait = undefined;
    wait.then(() => this.takeLines(callback));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.parts.splitter.end();
    this.takeLines(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Lines already handed over are never lost to a destroy: those a pause
    // (or a destroy without end()) left in the splitter go out unpaused.
    const { splitter, onLine } = this.parts;
    splitter.end();
    for (let line = splitter.next(); line !== undefined; line = splitter.next()) onLine(line);
    this.parts.close().then(() => {
      this.releaseFlushWaiters();
      callback(error);
    });
  }

  /** Takes the splitter's lines, pausing when asked to; calls back when all are taken. */
  private takeLines(callback: (error?: Error | null) => void): void {
    const { splitter, onLine, pauseAfterLine } = this.parts;
    for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
      onLine(line);
      if (pauseAfterLine === undefined) continue;
      const pause = pauseAfterLine();
      if (pause !== undefined) {
        pause.then(() => this.takeLines(callback));
        return;
      }
    }
    callback();
    // The callback has started the next buffered write, if any: flush waits for that too.
    if (this.flushWaiters.length > 0 && this.writableLength === 0) this.releaseFlushWaiters();
  }

  private releaseFlushWaiters(): void {
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
