import { once } from 'node:events';
import type { AdapterDriver } from '@logtank/adapter-suite';
import type { DropEvent, LtsClientOptions } from '@logtank/core';
import { type LtsTransportOptions, type LtsTransportStream, ltsTransport } from '@logtank/pino';
import pino from 'pino';
import { messageOf } from './helpers/records.ts';
import { runWorkerApp } from './helpers/worker-app.ts';

const openStreams = new Set<LtsTransportStream>();

/** Ends the stream and waits for its 'close': every line is then delivered or reported lost. */
async function endStream(stream: LtsTransportStream): Promise<void> {
  openStreams.delete(stream);
  const closed = once(stream, 'close');
  stream.end();
  await closed;
}

/**
 * pino in the shared adapter scenarios. In this process: `pino(await
 * ltsTransport(options))`, problems taken from onError/onDrop, ended with
 * `stream.end()`. The app: test/fixtures/worker-app.mjs, which logs through
 * `pino.transport({ target: '@logtank/pino' })`; its worker holds the exiting
 * process until the lines are sent, so process.exit() delivers them.
 */
export const pinoDriver: AdapterDriver = {
  packageName: '@logtank/pino',
  async startLogger(options) {
    const errors: Error[] = [];
    const drops: DropEvent[] = [];
    const own = options as LtsTransportOptions;
    const stream = await ltsTransport({
      ...own,
      onError: own.onError ?? ((error) => errors.push(error)),
      onDrop: own.onDrop ?? ((event) => drops.push(event)),
    });
    openStreams.add(stream);
    const logger = pino(stream);
    return {
      info: (message) => logger.info(message),
      end: () => endStream(stream),
      errors,
      drops,
      flush: () =>
        new Promise<void>((resolve, reject) =>
          stream.flush((error) => (error === undefined ? resolve() : reject(error))),
        ),
    };
  },
  endLoggers: async () => {
    await Promise.all([...openStreams].map(endStream));
  },
  messageOf: (content) => messageOf({ content }),
  app: {
    run: async ({ ending, records, options, environment }) => {
      if (ending !== 'end' && ending !== 'natural' && ending !== 'exit' && ending !== 'sigterm') {
        throw new Error(`the worker app has no ending ${ending}`);
      }
      const { run } = await runWorkerApp(
        { clientOptions: options as LtsClientOptions, records, exitMode: ending },
        { env: environment },
      );
      return run;
    },
    endings: ['end', 'natural', 'exit', 'sigterm'],
    // The worker app writes nothing when it ends.
    shutdownLine: undefined,
    processExit: 'delivered',
    expectedRecord: (index) => `record ${index}`,
    recordOf: (content) => messageOf({ content }),
  },
};
