import {
  type DropEvent,
  LtsClient,
  type LtsClientOptions,
  LtsOptionsError,
  splitClientOptions,
} from '@logtank/core';
import TransportStream from 'winston-transport';
import { InfoToRecord, type WinstonInfo } from './info-to-record.ts';

/**
 * Options of {@link LtsTransport}: the client's options (see @logtank/core),
 * winston's transport options (`level`, `format`, `silent`,
 * `handleExceptions`, `handleRejections`), and `labelKeys`.
 */
export interface LtsTransportOptions
  extends LtsClientOptions,
    Omit<TransportStream.TransportStreamOptions, 'log' | 'logv' | 'close'> {
  /**
   * Fields of each log entry sent as labels (records with different labels go
   * in different requests). `'level'` is the true level, also after colorize().
   */
  labelKeys?: string[];
}

/** What the transport emits as `warn` when records are dropped. */
export class LtsDropWarning extends Error {
  override name = 'LtsDropWarning';
  /** Always `'LTS_DROP'`. */
  readonly code = 'LTS_DROP';
  constructor(readonly event: DropEvent) {
    super(`logtank dropped ${event.count} record(s) (${event.reason}): ${event.message}`);
  }
}

/**
 * A winston transport that ships every log entry to Huawei Cloud LTS.
 *
 * Logging never waits on the network. `logger.end()` delivers what is
 * buffered before the logger's `finish` (within `closeTimeoutMs`), and so do
 * `handleExceptions`/`handleRejections` before winston exits. Delivery
 * problems are emitted as `warn` events (never `error`, which would crash an
 * app without a listener); with no `warn` listener on the transport or its
 * logger they become throttled process warnings. Dropped records are also
 * written to stderr unless the app passes `onDrop` or `fallback`.
 *
 * @example
 * ```ts
 * const logger = winston.createLogger({
 *   format: winston.format.json(),
 *   transports: [new LtsTransport({ labels: { app: 'billing' }, labelKeys: ['level'] })],
 * });
 * ```
 */
export class LtsTransport extends TransportStream {
  /** The client behind the transport (for `stats()`). */
  readonly client: LtsClient;
  private readonly converter: InfoToRecord;
  private closing: Promise<void> | undefined;
  private flushingForExit = false;
  /** The logger this transport was added to: winston re-emits the transport's `warn` events on it. */
  private logger: NodeJS.EventEmitter | undefined;
  /** Set by winston's exception and rejection handlers before they log the fatal entry. */
  declare _ending?: boolean;

  constructor(options: LtsTransportOptions = {}) {
    const { client, rest } = splitClientOptions(options);
    // log, logv and close would replace the transport's own methods: not options here.
    const { labelKeys, log, logv, close, ...winstonOptions } = rest as {
      labelKeys?: unknown;
    } & TransportStream.TransportStreamOptions;
    super(winstonOptions);
    this.converter = new InfoToRecord(validateLabelKeys(labelKeys));
    this.once('pipe', (logger: NodeJS.EventEmitter) => {
      this.logger = logger;
    });
    // With nobody listening for 'warn', a callback returns false: the client's
    // own throttled warnings (and their summary at exit) take the event, as
    // for every adapter, so what they say adds up to stats().
    this.client = new LtsClient({
      ...client,
      onError: client.onError ?? ((error) => this.hasWarnListener() && this.emit('warn', error)),
      onDrop:
        client.onDrop ??
        ((event) => this.hasWarnListener() && this.emit('warn', new LtsDropWarning(event))),
      // Dropped records are written to stderr unless the app handles drops itself.
      fallback: client.fallback ?? (client.onDrop === undefined ? 'stderr' : 'none'),
    });
  }

  /** Hands one entry to the client; never waits and never throws. */
  override log(info: WinstonInfo, callback?: () => void): boolean {
    let record: ReturnType<InfoToRecord['toRecord']>;
    try {
      record = this.converter.toRecord(info);
    } catch {
      record = { content: '[@logtank/winston could not read the log entry]' };
    }
    this.client.send(record);
    this.emit('logged', info);
    if (this._ending) this.finishForExit();
    callback?.();
    return true;
  }

  /** Runs on `logger.end()` before `finish`: delivers what is buffered, within `closeTimeoutMs`. */
  override _final(callback: (error?: Error | null) => void): void {
    this.shutDown().then(() => callback());
  }

  /**
   * Called by winston when the transport is removed or the logger closed. It
   * takes no callback, so it starts the delivery of what is buffered (which
   * keeps the process alive until done, within `closeTimeoutMs`). Safe to call
   * more than once.
   */
  override close(): void {
    void this.shutDown();
  }

  /**
   * Whether the app listens for `warn`, on the transport or on its logger.
   * winston's own forwarding listener (`logger.add` re-emits the transport's
   * `warn` on the logger) does not count: with nobody listening on the
   * logger, an emitted warning would vanish.
   */
  private hasWarnListener(): boolean {
    const forwarder = (this as { __winstonwarn?: unknown }).__winstonwarn;
    if (this.listeners('warn').some((listener) => listener !== forwarder)) return true;
    return forwarder !== undefined && (this.logger?.listenerCount('warn') ?? 0) > 0;
  }

  private shutDown(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  /**
   * winston's exception and rejection handlers set `_ending`, log the fatal
   * entry, and exit once the transport emits `finish` (or after 3 s).
   */
  private finishForExit(): void {
    if (this.flushingForExit) return;
    this.flushingForExit = true;
    this.client.flush().then(() => this.emit('finish'));
  }
}

function validateLabelKeys(labelKeys: unknown): string[] {
  if (labelKeys === undefined) return [];
  if (!Array.isArray(labelKeys)) {
    throw new LtsOptionsError(
      'labelKeys',
      `must be an array of field names, e.g. ['level']; got a ${typeof labelKeys}`,
    );
  }
  labelKeys.forEach((key, index) => {
    if (typeof key !== 'string' || key.length === 0) {
      throw new LtsOptionsError(`labelKeys[${index}]`, 'must be a non-empty field name');
    }
  });
  return labelKeys as string[];
}
