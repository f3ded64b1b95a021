import { LtsTransport, type LtsTransportOptions } from '@logtank/winston';
import winston from 'winston';

const loggers = new Set<winston.Logger>();

/** A real winston logger whose only transport is an LtsTransport with `options`. */
export function ltsLogger(
  options: LtsTransportOptions,
  loggerOptions: winston.LoggerOptions = {},
): { logger: winston.Logger; transport: LtsTransport } {
  const transport = new LtsTransport(options);
  const logger = winston.createLogger({
    level: 'silly',
    ...loggerOptions,
    transports: [transport],
  });
  loggers.add(logger);
  return { logger, transport };
}

/** The documented shutdown: wait for the logger's `finish`, then `logger.end()`. */
export function endLogger(logger: winston.Logger): Promise<void> {
  loggers.delete(logger);
  return new Promise((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
  });
}

/** Ends every logger a test left open (for afterEach). */
export async function endAllLoggers(): Promise<void> {
  await Promise.all([...loggers].map(endLogger));
}

export { winston };
