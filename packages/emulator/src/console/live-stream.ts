import {
  type ConsoleControls,
  type ConsoleCounters,
  type ConsoleRecordsEvent,
  type ConsoleRequestsEvent,
  type ConsoleSnapshot,
  consoleEventsPath,
  defaultConsoleLimit,
} from '../console-protocol.ts';

/** The state of the connection to the emulator, as the page shows it. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** What the page does with each event of the stream. */
export interface LiveStreamHandlers {
  snapshot(snapshot: ConsoleSnapshot): void;
  records(event: ConsoleRecordsEvent): void;
  requests(event: ConsoleRequestsEvent): void;
  counters(counters: ConsoleCounters): void;
  controls(controls: ConsoleControls): void;
  connection(state: ConnectionState): void;
}

/**
 * The emulator's event stream (server-sent events), one at a time: a new
 * filter opens a new stream (which starts with a snapshot of the newest
 * matching records) and closes the old one. The browser reconnects by itself
 * after an error; the `stopped` event ends the stream for good.
 */
export class LiveStream {
  private source: EventSource | undefined;

  constructor(
    private readonly handlers: LiveStreamHandlers,
    private readonly limit = defaultConsoleLimit,
  ) {}

  /** Opens a stream of the records matching `filter` (and everything else). */
  open(filter: string): void {
    this.source?.close();
    const query = new URLSearchParams({ filter, limit: String(this.limit) });
    const source = new EventSource(`${consoleEventsPath}?${query}`);
    this.source = source;
    this.handlers.connection('connecting');
    const listen = <Data>(name: string, handle: (data: Data) => void) => {
      source.addEventListener(name, (event) => {
        if (this.source !== source) return;
        handle(JSON.parse((event as MessageEvent<string>).data) as Data);
      });
    };
    listen<ConsoleSnapshot>('snapshot', (snapshot) => {
      this.handlers.connection('live');
      this.handlers.snapshot(snapshot);
    });
    listen<ConsoleRecordsEvent>('records', (event) => this.handlers.records(event));
    listen<ConsoleRequestsEvent>('requests', (event) => this.handlers.requests(event));
    listen<ConsoleCounters>('counters', (counters) => this.handlers.counters(counters));
    listen<ConsoleControls>('controls', (controls) => this.handlers.controls(controls));
    listen<Record<string, never>>('stopped', () => {
      source.close();
      this.handlers.connection('stopped');
    });
    source.addEventListener('error', () => {
      if (this.source !== source || source.readyState === EventSource.CLOSED) return;
      this.handlers.connection('reconnecting');
    });
  }

  /** Closes the stream. */
  close(): void {
    this.source?.close();
    this.source = undefined;
  }
}
