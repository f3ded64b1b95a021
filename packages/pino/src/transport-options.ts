import {
  fieldNamesOption,
  type LtsClientOptions,
  LtsOptionsError,
  splitAdapterOptions,
} from '@logtank/core';
import { defaultMaxLineBytes } from './line-splitter.ts';

/**
 * Options of the pino transport: every {@link LtsClientOptions} option, plus
 * the transport's own.
 *
 * In worker mode (`pino.transport({ target: '@logtank/pino', options })`)
 * the options are copied to the worker thread, so they must be plain data:
 * functions (`accessKeyProvider`, `tokenProvider`, `onError`, `onDrop`) only
 * work in-process.
 */
export interface LtsTransportOptions extends LtsClientOptions {
  /**
   * Top-level fields of each record to send as LTS labels, e.g.
   * `['level']` (the level's name, custom levels included) or
   * `['level', 'service', 'req.method']` (a dotted entry reads a nested field).
   * Values become text (core's `toLabelValue`: objects as compact JSON);
   * missing and `null` fields are left out. Records with different labels travel in
   * different requests, so pick fields with few distinct values.
   * `level` alone costs almost nothing; any other field makes the transport
   * parse each line. Default: none.
   */
  labelKeys?: readonly string[] | undefined;
  /**
   * Level names for level numbers, as pino's `customLevels` option
   * (`{ audit: 35 }`). Only needed in-process: in worker mode pino sends its
   * levels to the transport itself.
   */
  customLevels?: Readonly<Record<string, number>> | undefined;
  /**
   * Worker mode: when a burst fills half of `maxBufferBytes` while LTS is
   * accepting, stop reading pino's lines until deliveries make room (at most
   * 2 s per burst, never while LTS is failing) instead of dropping records.
   * pino holds the lines meanwhile. With `pino.transport({ sync: true })`
   * pino then blocks the logging call once its buffer is full, so set this
   * to `false` there if a logging call must never wait. Default: `true`.
   */
  pauseOnBurst?: boolean | undefined;
  /**
   * The longest log line kept whole, in UTF-8 bytes (without its newline).
   * A longer line is cut to its first bytes and ends with the marker core
   * puts on a record it cuts (`…[truncated by logtank: N bytes]`, N the
   * line's whole size); the rest of it is read and discarded up to the next
   * newline, so a runaway line cannot take more memory than this. A line
   * longer than a request (`maxBatchBytes`, 512 KiB by default) could not be
   * sent whole anyway: core cuts it further, and its marker still gives the
   * line's whole size. From 1,024 to 64 MiB.
   * Default: 1 MiB (1,048,576).
   */
  maxLineBytes?: number | undefined;
}

/** The transport's options, validated and split from the client's. */
export interface ResolvedTransportOptions {
  client: LtsClientOptions;
  labelKeys: readonly string[];
  customLevels: Readonly<Record<string, number>> | undefined;
  pauseOnBurst: boolean;
  maxLineBytes: number;
}

/** Names pino.transport() and thread-stream add to a target's options. */
const pinoTransportKeys = ['pinoWillSendConfig', 'dedupe', '$context'];
/** The bounds of `maxLineBytes`: room for the marker, and the largest request core sends (its maxBatchBytes bound). */
const maxLineBytesRange = { min: 1024, max: 64 * 1024 * 1024 } as const;

/**
 * Validates the transport's own options and hands the rest to the client
 * (which validates its own). Throws {@link LtsOptionsError} naming the field;
 * an unknown option is refused with a suggestion, as by every adapter.
 */
export function resolveTransportOptions(options: unknown): ResolvedTransportOptions {
  const { client, own } = splitAdapterOptions(options, {
    adapter: '@logtank/pino',
    own: ['labelKeys', 'customLevels', 'pauseOnBurst', 'maxLineBytes'],
    // pino.transport({ levels }) passes its custom levels on as `levels`.
    unlisted: ['levels'],
    ignored: pinoTransportKeys,
  });
  const levels = levelsOption('levels', own.levels);
  const customLevels = levelsOption('customLevels', own.customLevels);
  return {
    client: withClonedBuffers(client),
    labelKeys: fieldNamesOption('labelKeys', own.labelKeys),
    customLevels:
      levels === undefined && customLevels === undefined
        ? undefined
        : { ...levels, ...customLevels },
    pauseOnBurst: booleanOption('pauseOnBurst', own.pauseOnBurst) ?? true,
    maxLineBytes: maxLineBytesOption(own.maxLineBytes) ?? defaultMaxLineBytes,
  };
}

function booleanOption(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new LtsOptionsError(name, 'must be true or false');
  }
  return value;
}

function maxLineBytesOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = maxLineBytesRange;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new LtsOptionsError(
      'maxLineBytes',
      `must be a whole number of bytes from ${min} to ${max}; got ${typeof value === 'number' ? value : typeof value}`,
    );
  }
  return value;
}

function levelsOption(name: string, value: unknown): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LtsOptionsError(name, 'must map level names to numbers, e.g. { audit: 35 }');
  }
  for (const [level, number] of Object.entries(value)) {
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new LtsOptionsError(`${name}.${level}`, 'must be a level number');
    }
  }
  return value as Record<string, number>;
}

/**
 * Options copied into a worker turn Buffers into plain Uint8Arrays; the
 * client accepts a CA as a string or Buffer, so give it back its Buffer.
 */
function withClonedBuffers(client: LtsClientOptions): LtsClientOptions {
  const ca: unknown = client.tls?.ca;
  if (ca === undefined || ca === null || typeof ca !== 'object') return client;
  const restore = (entry: unknown) =>
    entry instanceof Uint8Array && !Buffer.isBuffer(entry) ? Buffer.from(entry) : entry;
  const restored = Array.isArray(ca) ? ca.map(restore) : restore(ca);
  return { ...client, tls: { ...client.tls, ca: restored as Buffer | Buffer[] } };
}
