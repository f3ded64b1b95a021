import { once } from 'node:events';
import type { ClientStats, DropEvent } from '@logtank/core';
import * as lts4js from '@logtank/log4js';
import { ltsTransport } from '@logtank/pino';
import { LtsDropWarning, LtsTransport } from '@logtank/winston';
import log4js from 'log4js';
import pino from 'pino';
import winston from 'winston';
import type { Transcript } from './secrets.ts';

/** A logger in this process, with the events its adapter reported. */
export interface InProcessLogger {
  /** Logs `seq=<sequence>` (plus padding). */
  log(sequence: number): void;
  /** The framework's documented shutdown; resolves when it completes. */
  end(): Promise<void>;
  /** The client's counters, where the adapter exposes them (winston). */
  stats(): ClientStats | undefined;
  errors: Error[];
  drops: DropEvent[];
}

/** Adapter options for a logger: client options plus the adapter's own. */
export type LoggerOptions = Record<string, unknown>;

/** Events go to the transcript too, so the secret scan sees every one of them. */
function collectors(transcript: Transcript) {
  const errors: Error[] = [];
  const drops: DropEvent[] = [];
  return {
    errors,
    drops,
    onError: (error: Error) => {
      errors.push(error);
      transcript.add(error);
    },
    onDrop: (event: DropEvent) => {
      drops.push(event);
      transcript.add({ ...event, contents: event.contents.length });
    },
  };
}

/** winston with `format.json()` and an LtsTransport. */
export function winstonLogger(
  options: LoggerOptions,
  transcript: Transcript,
  padding = '',
): InProcessLogger {
  const { errors, drops, onError, onDrop } = collectors(transcript);
  const transport = new LtsTransport({ ...options, onError, onDrop });
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  return {
    log: (sequence) => logger.info(`seq=${sequence}${padding}`, { seq: sequence }),
    end: () =>
      new Promise((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      }),
    stats: () => transport.client.stats(),
    errors,
    drops,
  };
}

/**
 * winston with an LtsTransport and no onError/onDrop: the adapter's own
 * reporting runs, and a `warn` listener hears what it emits (delivery errors
 * and LtsDropWarning).
 */
export function winstonWarnListenerLogger(
  options: LoggerOptions,
  transcript: Transcript,
): InProcessLogger {
  const errors: Error[] = [];
  const drops: DropEvent[] = [];
  // Dropped records go to the transcript rather than this process's stderr.
  const fallback = (contents: string[]) => transcript.add(contents.join('\n'));
  const transport = new LtsTransport({ fallback, ...options });
  transport.on('warn', (warning: Error) => {
    transcript.add(warning);
    if (warning instanceof LtsDropWarning) {
      drops.push(warning.event);
      transcript.add({ ...warning.event, contents: warning.event.contents.length });
    } else {
      errors.push(warning);
    }
  });
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  return {
    log: (sequence) => logger.info(`seq=${sequence}`, { seq: sequence }),
    end: () =>
      new Promise((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      }),
    stats: () => transport.client.stats(),
    errors,
    drops,
  };
}

/** pino in-process: `pino(await ltsTransport(options))`. */
export async function pinoLogger(
  options: LoggerOptions,
  transcript: Transcript,
): Promise<InProcessLogger> {
  const { errors, drops, onError, onDrop } = collectors(transcript);
  const stream = await ltsTransport({ ...options, onError, onDrop });
  const logger = pino(stream);
  return {
    log: (sequence) => logger.info({ seq: sequence }, `seq=${sequence}`),
    end: async () => {
      if (stream.destroyed) return;
      const closed = once(stream, 'close');
      stream.end();
      await closed;
    },
    stats: () => undefined,
    errors,
    drops,
  };
}

/** log4js with the logtank appender as the only appender (module object as `type`). */
export function log4jsLogger(
  options: LoggerOptions,
  transcript: Transcript,
  padding = '',
): InProcessLogger {
  const { errors, drops, onError, onDrop } = collectors(transcript);
  log4js.configure({
    appenders: { lts: { type: lts4js, ...options, onError, onDrop } },
    categories: { default: { appenders: ['lts'], level: 'info' } },
  });
  const logger = log4js.getLogger('reliability');
  return {
    log: (sequence) => logger.info(`seq=${sequence}${padding}`),
    end: () => new Promise((resolve) => log4js.shutdown(() => resolve())),
    stats: () => undefined,
    errors,
    drops,
  };
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `condition()` holds; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
