import { writeSync } from 'node:fs';
import type { Transform } from 'node:stream';
import { workerData } from 'node:worker_threads';
import { LtsClient } from '@logtank/core';
import build from 'pino-abstract-transport';
import { LevelNames } from './level-names.ts';
import { LineSplitter } from './line-splitter.ts';
import { LineToRecord } from './line-to-record.ts';
import { type LtsTransportOptions, resolveTransportOptions } from './transport-options.ts';

/** The stream pino writes to: newline-delimited log lines in, LTS requests out. */
export type LtsTransportStream = Transform;

/** A transport stream and the client behind it. */
export interface OpenedTransport {
  stream: LtsTransportStream;
  client: LtsClient;
}

/** The two Transform hooks the transport supplies itself. */
interface TransformHooks {
  _transform(chunk: Buffer | string, encoding: string, callback: () => void): void;
  _flush(callback: () => void): void;
}

/** Whether this module runs in a worker started by `pino.transport()`, which will send pino's configuration. */
function pinoWillSendConfig(): boolean {
  const data = workerData as { workerData?: { pinoWillSendConfig?: unknown } } | null | undefined;
  return data?.workerData?.pinoWillSendConfig === true;
}

/**
 * Opens a transport stream over a new client. The CLI uses this to read the
 * client's counters when the stream has closed.
 */
export async function openTransport(options: LtsTransportOptions = {}): Promise<OpenedTransport> {
  const resolved = resolveTransportOptions(options);
  // Core's default reporting (throttled warnings, dropped records on stderr)
  // writes to fd 2 directly in a worker, so it survives pino's exit handling.
  const client = new LtsClient(resolved.client);
  const inWorker = pinoWillSendConfig();
  const stream = await build(
    (source) => {
      const levels = LevelNames.fromPinoConfig(
        (source as { levels?: unknown }).levels,
        resolved.customLevels,
      );
      const converter = new LineToRecord(resolved.labelKeys, levels);
      const onLine = (line: string): void => {
        let record: ReturnType<LineToRecord['toRecord']>;
        try {
          record = converter.toRecord(line);
        } catch {
          // Not reachable by design; a line must never be lost to a parser bug.
          record = { content: line };
        }
        if (record !== undefined) client.send(record);
      };
      // build() gives a split2 stream that pushes every line through the
      // stream machinery, about a microsecond each: the worker's largest cost.
      // Its Transform hooks are replaced so chunks are cut here instead and
      // each line goes straight to the client, before the stream can end.
      // build() still provides the pino config and close.
      const splitter = new LineSplitter();
      // In a worker, a burst that fills half the buffer while LTS is accepting
      // pauses reading (even mid-chunk): pino holds the lines meanwhile, and
      // thread-stream waits for this write's callback before it reads on.
      // In-process, pino's flush() would not wait for lines held here.
      const pauses = inWorker && resolved.pauseOnBurst;
      const sendLines = (callback: () => void): void => {
        for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
          onLine(line);
          const pause = pauses ? client.backpressure() : undefined;
          if (pause !== undefined) {
            pause.then(() => sendLines(callback));
            return;
          }
        }
        callback();
      };
      const transform = source as unknown as TransformHooks;
      transform._transform = (chunk, _encoding, callback) => {
        splitter.push(chunk);
        sendLines(callback);
      };
      transform._flush = (callback) => {
        splitter.end();
        sendLines(callback);
      };
      // In a worker, thread-stream hands over strings it already decoded from
      // UTF-8; the default turns each into a Buffer that the splitter would
      // only decode again (a tenth of the worker's time). In-process the
      // round trip stays: it makes lone surrogates U+FFFD, as every byte
      // destination of pino (and the worker) does.
      const writableState = (source as unknown as { _writableState?: { decodeStrings?: boolean } })
        ._writableState;
      if (inWorker && writableState !== undefined) writableState.decodeStrings = false;
      // Nothing is ever read from the readable side, but it must flow for the
      // stream to end, and ending is what runs close().
      source.resume();
    },
    {
      metadata: false,
      // Only a pino worker sends its configuration; asking for it in-process
      // makes pino-abstract-transport emit an error.
      expectPinoConfig: inWorker,
      // Delivers what is buffered, within closeTimeoutMs; never rejects, so
      // the stream never emits 'error' (which would kill the logger).
      close: () => client.close(),
    },
  );
  // pino's logger.flush(callback) calls this (through the worker in worker
  // mode): the callback runs once what was logged is delivered or dropped.
  Object.defineProperty(stream, 'flush', {
    value: (callback: (error?: Error) => void) => {
      client.flush().then(() => callback(), callback);
    },
  });
  return { stream, client };
}

/**
 * The pino transport: a stream that ships every line pino writes to Huawei
 * Cloud LTS.
 *
 * Worker mode: `pino(pino.transport({ target: '@logtank/pino', options }))`.
 * In-process: `pino(await ltsTransport(options))`.
 *
 * Each line becomes one LTS record: the line as pino wrote it, the time from
 * its `time` field (now when it has none), and labels from `labelKeys`.
 * Ending the stream delivers what is buffered within `closeTimeoutMs`; in
 * worker mode pino ends it on `transport.end()` and at process exit.
 *
 * Rejects with `LtsOptionsError` (naming the option) for bad options.
 * Delivery problems never reach the stream (an 'error' would stop the
 * logger): they go to `onError`/`onDrop`, and by default to rate-limited
 * warnings on stderr (see @logtank/core).
 */
export async function ltsTransport(options: LtsTransportOptions = {}): Promise<LtsTransportStream> {
  try {
    return (await openTransport(options)).stream;
  } catch (error) {
    if (pinoWillSendConfig()) reportFromWorker(error);
    throw error;
  }
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
