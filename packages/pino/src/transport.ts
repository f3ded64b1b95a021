import { writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { type ClientStats, LtsClient } from '@logtank/core';
import { LevelNames } from './level-names.ts';
import { LineSplitter } from './line-splitter.ts';
import { LineStream } from './line-stream.ts';
import { LineToRecord } from './line-to-record.ts';
import { pinoLevels, startedByPinoTransport } from './pino-worker.ts';
import { type LtsTransportOptions, resolveTransportOptions } from './transport-options.ts';

/** The stream pino writes to: newline-delimited log lines in, LTS requests out. */
export interface LtsTransportStream extends Writable {
  /**
   * Calls back once every line written so far is delivered to LTS or dropped
   * and reported (what pino's `logger.flush(callback)` calls).
   */
  flush(callback: (error?: Error) => void): void;
  /**
   * The client's counters (`sent`, `delivered`, `dropped`,
   * `droppedByReason`, …), also after the stream closed. In-process only.
   */
  stats(): ClientStats;
}

/**
 * How long a worker's first lines wait for pino's levels. pino sends them as
 * the app calls `pino()`, before the first line is logged, so they are on
 * their way and take about a millisecond; the bound is for lines written to
 * the transport without a `pino()`, which then use the levels known so far.
 */
const levelsWaitMs = 1000;

/** A transport stream and the client behind it. */
export interface OpenedTransport {
  stream: LineStream;
  client: LtsClient;
}

/**
 * Opens a transport stream over a new client. The CLI uses this to read the
 * client's counters (and the stream's cut lines) when the stream has closed.
 */
export function openTransport(options: LtsTransportOptions = {}): OpenedTransport {
  const resolved = resolveTransportOptions(options);
  // Core's default reporting (throttled warnings, dropped records on stderr)
  // writes to fd 2 directly in a worker, so it survives pino's exit handling.
  const client = new LtsClient(resolved.client);
  const inWorker = startedByPinoTransport();
  if (inWorker) warnAboutPinoExitBound(resolved.client.closeTimeoutMs);
  const levels = new LevelNames(resolved.customLevels);
  // The worker is 'ready' at once. pino's levels (custom ones included) come
  // when the app calls pino(), in a message that can reach the worker just
  // after the first lines: with a level label, those wait for it.
  let firstLinesWait: Promise<void> | undefined;
  if (inWorker) {
    const received = pinoLevels().then((pinoLevels) => levels.addPinoLevels(pinoLevels));
    if (resolved.labelKeys.includes('level'))
      firstLinesWait = settledWithin(received, levelsWaitMs);
  }
  const converter = new LineToRecord(resolved.labelKeys, levels);
  const splitter = new LineSplitter(resolved.maxLineBytes);
  const stream = new LineStream({
    splitter,
    onLine: (line) => {
      let record: ReturnType<LineToRecord['toRecord']>;
      try {
        record = converter.toRecord(line);
      } catch {
        // Not reachable by design; a line must never be lost to a parser bug.
        record = { content: line };
      }
      if (record === undefined) return;
      // A line cut at maxLineBytes: core ends it with its marker, naming the whole size.
      const cutFromBytes = splitter.cutFromBytes;
      client.send(cutFromBytes === undefined ? record : { ...record, originalBytes: cutFromBytes });
    },
    // In a worker, a burst that fills half the buffer while LTS is accepting
    // pauses reading (even mid-chunk): pino holds the lines meanwhile, since
    // thread-stream reads on only after the stream drains. In-process pino
    // does not wait for a stream, so a pause would only move the lines
    // from the client's bounded buffer to the stream's unbounded one.
    pauseAfterLine: inWorker && resolved.pauseOnBurst ? () => client.backpressure() : undefined,
    firstLinesWait,
    flush: () => client.flush(),
    // Delivers what is buffered, within closeTimeoutMs; never rejects, so
    // the stream never emits 'error' (which would kill the logger).
    close: () => client.close(),
    stats: () => client.stats(),
    // In a worker, thread-stream hands over strings it already decoded from
    // UTF-8: turning each into a Buffer for the splitter to decode again
    // would cost a tenth of the worker's time. In-process the round trip
    // stays: it makes lone surrogates U+FFFD, as every byte destination of
    // pino (and the worker's decoding) does.
    decodeStrings: !inWorker,
  });
  return { stream, client };
}

/**
 * The pino transport: a stream that ships every line pino writes to Huawei
 * Cloud LTS.
 *
 * Worker mode: `pino(pino.transport({ target: '@logtank/pino', options }))`;
 * the transport is `'ready'` without waiting for `pino()` to be called.
 * In-process: `pino(await ltsTransport(options))`.
 *
 * Each line becomes one LTS record: the line as pino wrote it (cut with a
 * marker past `maxLineBytes`), the time from its `time` field (now when it
 * has none), and labels from `labelKeys`. Ending the stream delivers what is
 * buffered within `closeTimeoutMs`; in worker mode pino ends it on
 * `transport.end()` and at process exit.
 *
 * Rejects with `LtsOptionsError` (naming the option) for bad options.
 * Delivery problems never reach the stream (an 'error' would stop the
 * logger): they go to `onError`/`onDrop`, and by default to rate-limited
 * warnings on stderr (see @logtank/core).
 */
export async function ltsTransport(options: LtsTransportOptions = {}): Promise<LtsTransportStream> {
  try {
    return openTransport(options).stream;
  } catch (error) {
    if (startedByPinoTransport()) reportFromWorker(error);
    throw error;
  }
}

/** How long pino's exit handling waits for a worker to close (thread-stream's bound). */
const pinoWorkerExitBoundMs = 10_000;

/**
 * A `closeTimeoutMs` near pino's own bound cannot be kept at exit: pino gives
 * up on the worker first, and what it still holds is lost without a report.
 */
function warnAboutPinoExitBound(closeTimeoutMs: number | undefined): void {
  if (closeTimeoutMs === undefined || closeTimeoutMs < pinoWorkerExitBoundMs - 1000) return;
  process.emitWarning(
    `logtank: closeTimeoutMs ${closeTimeoutMs} is too close to the 10 s pino gives its worker at exit: on process.exit() or a signal, pino stops waiting first and what is still undelivered is lost without a report; keep it at 9000 or below`,
    { code: 'LOGTANK_CLOSE_TIMEOUT' },
  );
}

/** Resolves when `promise` settles or after `milliseconds`, whichever comes first. */
function settledWithin(promise: Promise<unknown>, milliseconds: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, milliseconds);
    timer.unref();
    promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * A worker's error reaches the app as an 'error' event on the transport, but
 * not while the main thread is blocked in pino's exit handling (which then
 * waits 10 s for a worker that is gone): say it on stderr directly as well.
 */
function reportFromWorker(error: unknown): void {
  try {
    writeSync(2, `${error instanceof Error ? error.message : String(error)}\n`);
  } catch {
    // stderr is closed: the 'error' event is all there is.
  }
}
