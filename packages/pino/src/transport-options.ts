import { type LtsClientOptions, LtsOptionsError, splitClientOptions } from '@logtank/core';

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
  labelKeys?: readonly string[];
  /**
   * Level names for level numbers, as pino's `customLevels` option
   * (`{ audit: 35 }`). Only needed in-process: in worker mode pino sends its
   * levels to the transport itself.
   */
  customLevels?: Readonly<Record<string, number>>;
  /**
   * Worker mode: when a burst fills half of `maxBufferBytes` while LTS is
   * accepting, stop reading pino's lines until deliveries make room (at most
   * 2 s per burst, never while LTS is failing) instead of dropping records.
   * pino holds the lines meanwhile. With `pino.transport({ sync: true })`
   * pino then blocks the logging call once its buffer is full, so set this
   * to `false` there if a logging call must never wait. Default: `true`.
   */
  pauseOnBurst?: boolean;
}

/** The transport's options, validated and split from the client's. */
export interface ResolvedTransportOptions {
  client: LtsClientOptions;
  labelKeys: readonly string[];
  customLevels: Readonly<Record<string, number>> | undefined;
  pauseOnBurst: boolean;
}

/** Names pino.transport() and thread-stream add to a target's options. */
const pinoTransportKeys = new Set(['pinoWillSendConfig', 'levels', 'dedupe', '$context']);
const ownOptionNames = ['labelKeys', 'customLevels', 'pauseOnBurst'];

/**
 * Validates the transport's own options and hands the rest to the client
 * (which validates its own). Throws {@link LtsOptionsError} naming the field.
 */
export function resolveTransportOptions(options: unknown): ResolvedTransportOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new LtsOptionsError('object', 'must be an object of @logtank/pino options');
  }
  const { client, rest } = splitClientOptions(options as Record<string, unknown>);
  let labelKeys: readonly string[] = [];
  let customLevels: Record<string, number> | undefined;
  let pauseOnBurst: boolean | undefined;
  for (const [name, value] of Object.entries(rest)) {
    if (name === 'labelKeys') labelKeys = labelKeysOption(value);
    else if (name === 'pauseOnBurst') pauseOnBurst = booleanOption(name, value);
    else if (name === 'customLevels' || name === 'levels') {
      // pino.transport({ levels }) passes its custom levels on as `levels`.
      const levels = levelsOption(name, value);
      if (levels !== undefined) customLevels = { ...levels, ...customLevels };
    } else if (!pinoTransportKeys.has(name)) {
      throw new LtsOptionsError(
        name,
        `is not an option of @logtank/pino (${ownOptionNames.join(', ')}) nor of the logtank client`,
      );
    }
  }
  return {
    client: withClonedBuffers(client),
    labelKeys,
    customLevels,
    pauseOnBurst: pauseOnBurst ?? true,
  };
}

function booleanOption(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new LtsOptionsError(name, 'must be true or false');
  }
  return value;
}

function labelKeysOption(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new LtsOptionsError('labelKeys', 'must be an array of field names, e.g. ["level"]');
  }
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || entry.length === 0) {
      throw new LtsOptionsError(`labelKeys[${index}]`, 'must be a non-empty field name');
    }
  });
  return [...new Set(value as string[])];
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
