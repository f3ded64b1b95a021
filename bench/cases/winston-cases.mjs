import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

// Libraries are imported inside each case: a case's process loads only what that case uses.
const loadWinston = async () => (await import('winston')).default;

/** A transport that drops every entry: what winston alone costs, the most any transport can reach. */
async function createDiscardTransport() {
  const { default: TransportStream } = await import('winston-transport');
  class DiscardTransport extends TransportStream {
    log(_info, callback) {
      callback();
    }
  }
  return new DiscardTransport();
}

/** `logger.end()` and wait for 'finish': winston's documented shutdown. */
async function endLogger(logger) {
  const finished = once(logger, 'finish');
  logger.end();
  await finished;
}

function loggerWith(winston, transport) {
  return winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    transports: [transport],
  });
}

/** The winston cases: the floor, ours and the peers. */
export const winstonCases = [
  {
    name: 'winston-devnull',
    framework: 'winston',
    role: 'floor',
    label: "winston → Stream('/dev/null')",
    open: async () => {
      const winston = await loadWinston();
      const stream = createWriteStream('/dev/null');
      const logger = loggerWith(winston, new winston.transports.Stream({ stream }));
      return {
        log: (fields, message) => logger.info(message, fields),
        close: async () => {
          await endLogger(logger);
          await new Promise((resolve) => stream.end(resolve));
        },
      };
    },
  },
  {
    name: 'winston-discard',
    framework: 'winston',
    role: 'ceiling',
    label: 'winston + a transport that discards (the ceiling)',
    open: async () => {
      const logger = loggerWith(await loadWinston(), await createDiscardTransport());
      return {
        log: (fields, message) => logger.info(message, fields),
        close: () => endLogger(logger),
      };
    },
  },
  {
    name: 'winston-logtank',
    framework: 'winston',
    role: 'ours',
    label: 'winston + @logtank/winston',
    open: async ({ ltsOptions }) => {
      const { LtsTransport } = await import('@logtank/winston');
      const logger = loggerWith(await loadWinston(), new LtsTransport(ltsOptions));
      return {
        log: (fields, message) => logger.info(message, fields),
        close: () => endLogger(logger),
      };
    },
  },
  {
    name: 'winston-loki',
    framework: 'winston',
    role: 'peer',
    label: 'winston + winston-loki (json)',
    open: async ({ sinkUrl }) => {
      const { default: LokiTransport } = await import('winston-loki');
      // JSON instead of the default protobuf+snappy, so the sink reads the same kind of body.
      const transport = new LokiTransport({ host: sinkUrl, json: true, labels: { app: 'bench' } });
      const logger = loggerWith(await loadWinston(), transport);
      return {
        log: (fields, message) => logger.info(message, fields),
        close: async () => {
          await endLogger(logger);
          await transport.flush();
        },
      };
    },
  },
  {
    name: 'winston-http',
    framework: 'winston',
    role: 'peer',
    label: 'winston + Http (batch, 100)',
    open: async ({ sinkUrl }) => {
      const winston = await loadWinston();
      const { hostname, port } = new URL(sinkUrl);
      const transport = new winston.transports.Http({
        host: hostname,
        port: Number(port),
        path: '/json',
        batch: true,
        batchCount: 100,
      });
      const logger = loggerWith(winston, transport);
      return {
        log: (fields, message) => logger.info(message, fields),
        // The Http transport has no flush: a partial batch leaves on its batchInterval timer.
        close: () => endLogger(logger),
      };
    },
  },
];
