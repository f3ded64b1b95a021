import {
  type DropEvent,
  fieldNamesOption,
  LtsClient,
  type LtsClientOptions,
  splitAdapterOptions,
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
  labelKeys?: string[] | undefined;
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
  /** The logger this transport was added to (the stream piping into it): it re-emits the transport's `warn` events. */
  private logger: NodeJS.EventEmitter | undefined;

  constructor(options: LtsTransportOptions = {}) {
    const { client, own } = splitAdapterOptions(options, {
      adapter: '@logtank/winston',
      // winston-transport's documented options (log, logv and close would
      // replace the transport's own methods), and labelKeys.
      own: ['level', 'format', 'silent', 'handleExceptions', 'handleRejections', 'labelKeys'],
    });
    const { labelKeys, ...winstonOptions } = own as {
      labelKeys?: unknown;
    } & TransportStream.TransportStreamOptions;
    super(winstonOptions);
    this.converter = new InfoToRecord(fieldNamesOption('labelKeys', labelKeys));
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
    if (this.isFatalEntry(info)) this.finishForExit();
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
   * winston has no documented way to ask: `logger.add(transport)` adds one
   * listener of its own to the transport's `warn`, which re-emits it on the
   * logger (winston/lib/winston/logger.js, `_onEvent`), so on a transport a
   * logger pipes into, only a second listener is the app's. A test pins
   * winston's one listener (test/winston-contract.test.ts).
   */
  private hasWarnListener(): boolean {
    if (this.logger === undefined) return this.listenerCount('warn') > 0;
    return this.listenerCount('warn') > 1 || this.logger.listenerCount('warn') > 0;
  }

  /**
   * The entry winston's exception (or rejection) handler logs before it
   * exits: documented as an info with `exception: true` (`rejection: true`),
   * handled only by transports with `handleExceptions` (`handleRejections`).
   */
  private isFatalEntry(info: WinstonInfo): boolean {
    return (
      (info.exception === true && this.handleExceptions === true) ||
      (info.rejection === true && this.handleRejections === true)
    );
  }

  private shutDown(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  /**
   * winston's exception and rejection handlers log the fatal entry and exit
   * once each of these transports emits `finish` (or after 3 s): they wait
   * for the event, not for `end()` (winston/lib/winston/exception-handler.js
   * and rejection-handler.js, `transport.once('finish', …)`), and no
   * documented call makes a transport say it has delivered. So the transport
   * emits `finish` itself once what was logged is delivered; the exit tests
   * fail if winston stops waiting for it.
   */
  private finishForExit(): void {
    if (this.flushingForExit) return;
    this.flushingForExit = true;
    this.client.flush().then(() => this.emit('finish'));
  }
}
