import { workerData } from 'node:worker_threads';
import build from 'pino-abstract-transport';

/**
 * Whether this module runs in the worker thread that `pino.transport()`
 * started, where pino will send its configuration and thread-stream waits
 * for each write before it reads on.
 *
 * The one thing no pino package documents, so it is read in this function
 * only: pino's `transport()` adds `pinoWillSendConfig: true` to the options it
 * hands to thread-stream (pino lib/transport.js), thread-stream passes them to
 * the worker as `workerData.workerData` (thread-stream index.js), and
 * pino-abstract-transport decides the same way whether to wait for the
 * configuration (its index.js). test/pino-contract.test.ts fails if pino
 * stops doing so.
 */
export function startedByPinoTransport(): boolean {
  const data = workerData as { workerData?: { pinoWillSendConfig?: unknown } } | null | undefined;
  return data?.workerData?.pinoWillSendConfig === true;
}

/**
 * Resolves with pino's levels (`{ labels, values }`, custom levels included)
 * once the app calls `pino()` with the transport; never rejects, and never
 * resolves if no `pino()` is ever given the transport.
 *
 * pino-abstract-transport's documented `expectPinoConfig` (its README, "Using
 * pino config") makes the stream that `build()` returns wait for pino's
 * configuration and then carry it as `levels`. Used as the transport's own
 * stream it would keep the worker from being `'ready'` until `pino()` is
 * called, so an app that awaits `'ready'` first would wait forever; here it
 * only receives the configuration. Only call it when
 * {@link startedByPinoTransport}: elsewhere no configuration comes, and
 * pino-abstract-transport reports that as an error.
 */
export function pinoLevels(): Promise<unknown> {
  return new Promise((resolve) => {
    const configured = build(
      (source) => {
        resolve((source as { levels?: unknown }).levels);
      },
      { expectPinoConfig: true, metadata: false },
    );
    // The stream that carried the configuration is never written to.
    configured.then(
      (stream) => stream.destroy(),
      () => {},
    );
  });
}
