import type { ServerResponse } from 'node:http';
import {
  consoleControls,
  consoleRecord,
  consoleRequest,
  newestRequests,
  serverSentEvent,
} from './console-payloads.ts';
import {
  type ConsoleCounters,
  type ConsoleRequest,
  type ConsoleSnapshot,
  defaultConsoleLimit,
} from './console-protocol.ts';
import type { Faults } from './faults.ts';
import type { LabelSetCounter } from './label-sets.ts';
import type { MetadataControls } from './metadata-service.ts';
import { compileRecordFilter } from './record-matcher.ts';
import type { RecordStore, SequencedRecord, StoreObserver } from './store.ts';
import type { EmulatorStats, RequestLogEntry, StoredRecord } from './types.ts';

/** What the console's feed reads. */
export interface ConsoleFeedSources {
  store: RecordStore;
  labelSets: LabelSetCounter;
  requestLog: readonly RequestLogEntry[];
  stats: () => EmulatorStats;
  faults: Faults;
  /** The metadata stand-in's controls, when it runs (it starts after the emulator listens). */
  metadata: () => MetadataControls | undefined;
}

/** One open event stream and what it has not been sent yet. */
interface Subscriber {
  response: ServerResponse;
  filterText: string;
  matches: (record: StoredRecord) => boolean;
  limit: number;
  /** Stored records matching the filter. */
  matched: number;
  /** Matching records not sent yet, oldest first (only the newest `limit` are kept). */
  pending: SequencedRecord[];
}

const flushIntervalMs = 100;
const tickIntervalMs = 1000;
const requestsSent = 200;
/** Records per second is measured over this many ticks. */
const rateWindowTicks = 5;

/**
 * The console's live feed: server-sent events to every open page, each with
 * its own filter. A new stream gets a snapshot (the newest matching records,
 * the newest requests, counters, controls), then batches of new records and
 * requests every 100 ms at most, counters every second, and the controls
 * when they change. Records are filtered and capped on the server, so a page
 * never receives more than it shows, however many records arrive.
 */
export class ConsoleFeed implements StoreObserver {
  private readonly subscribers = new Set<Subscriber>();
  private pendingRequests: ConsoleRequest[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private rateSamples: Array<{ atMs: number; records: number }> = [];
  private controlsSent = '';
  private closed = false;

  constructor(private readonly sources: ConsoleFeedSources) {}

  /** Answers `GET /_emulator/events`: keeps the response open as an event stream. */
  subscribe(response: ServerResponse, query: URLSearchParams): void {
    const filterText = query.get('filter') ?? '';
    const requestedLimit = Number(query.get('limit') ?? defaultConsoleLimit);
    const limit = Number.isInteger(requestedLimit)
      ? Math.min(Math.max(requestedLimit, 1), 5000)
      : defaultConsoleLimit;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    if (this.closed) {
      response.end(serverSentEvent('stopped', {}));
      return;
    }
    response.write('retry: 2000\n\n');
    const subscriber: Subscriber = {
      response,
      filterText,
      matches: compileRecordFilter(filterText),
      limit,
      matched: 0,
      pending: [],
    };
    this.subscribers.add(subscriber);
    response.on('close', () => this.subscribers.delete(subscriber));
    this.sendSnapshot(subscriber);
    this.tickTimer ??= setInterval(() => this.tick(), tickIntervalMs).unref();
  }

  added(records: readonly StoredRecord[], firstSequence: number): void {
    if (this.subscribers.size === 0) return;
    for (const subscriber of this.subscribers) {
      records.forEach((record, index) => {
        if (!subscriber.matches(record)) return;
        subscriber.matched += 1;
        subscriber.pending.push({ record, sequence: firstSequence + index });
      });
      // Only the newest `limit` are ever sent: trim in chunks, not on every push.
      if (subscriber.pending.length > subscriber.limit * 2) {
        subscriber.pending.splice(0, subscriber.pending.length - subscriber.limit);
      }
    }
    this.scheduleFlush();
  }

  evicted(records: readonly StoredRecord[]): void {
    for (const subscriber of this.subscribers) {
      for (const record of records) if (subscriber.matches(record)) subscriber.matched -= 1;
    }
  }

  cleared(): void {
    this.pendingRequests = [];
    this.rateSamples = [];
    for (const subscriber of this.subscribers) this.sendSnapshot(subscriber);
  }

  /** A request was answered: pages see it in their request log (the control API's excepted). */
  requestLogged(entry: RequestLogEntry): void {
    if (entry.route === 'control' || this.subscribers.size === 0) return;
    this.pendingRequests.push(consoleRequest(entry));
    if (this.pendingRequests.length > requestsSent * 2) {
      this.pendingRequests.splice(0, this.pendingRequests.length - requestsSent);
    }
    this.scheduleFlush();
  }

  /** Faults, tokens or the metadata stand-in may have changed: send the controls now if so. */
  controlsChanged(): void {
    this.sendControlsIfChanged();
  }

  /** Tells every page the emulator stops, and ends every stream. Idempotent. */
  close(): void {
    this.closed = true;
    clearTimeout(this.flushTimer);
    clearInterval(this.tickTimer);
    for (const subscriber of this.subscribers) {
      subscriber.response.end(serverSentEvent('stopped', {}));
    }
    this.subscribers.clear();
  }

  private sendSnapshot(subscriber: Subscriber): void {
    const { store, requestLog } = this.sources;
    const newest = store.newest(subscriber.limit, subscriber.matches);
    subscriber.matched = newest.matched;
    subscriber.pending = [];
    const controls = consoleControls(this.sources.faults, this.sources.metadata());
    const snapshot: ConsoleSnapshot = {
      filter: subscriber.filterText,
      limit: subscriber.limit,
      records: newest.records.map(consoleRecord),
      matched: newest.matched,
      requests: newestRequests(requestLog, requestsSent),
      counters: this.counters(),
      controls,
    };
    subscriber.response.write(serverSentEvent('snapshot', snapshot));
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, flushIntervalMs).unref();
  }

  private flush(): void {
    const requests = this.pendingRequests.slice(-requestsSent).reverse();
    this.pendingRequests = [];
    for (const subscriber of this.subscribers) {
      const { response, pending } = subscriber;
      if (pending.length > 0) {
        const records = pending.slice(-subscriber.limit).reverse().map(consoleRecord);
        subscriber.pending = [];
        response.write(serverSentEvent('records', { records, matched: subscriber.matched }));
      }
      if (requests.length > 0) response.write(serverSentEvent('requests', { requests }));
    }
  }

  private tick(): void {
    if (this.subscribers.size === 0) {
      clearInterval(this.tickTimer);
      this.tickTimer = undefined;
      this.rateSamples = [];
      return;
    }
    const records = this.sources.stats().records;
    const samples = this.rateSamples;
    if (samples.length > 0 && records < samples.at(-1)!.records) samples.length = 0;
    samples.push({ atMs: performance.now(), records });
    if (samples.length > rateWindowTicks + 1) samples.shift();
    const event = serverSentEvent('counters', this.counters());
    for (const subscriber of this.subscribers) subscriber.response.write(event);
    this.sendControlsIfChanged();
  }

  private counters(): ConsoleCounters {
    const stats = this.sources.stats();
    const first = this.rateSamples[0];
    const last = this.rateSamples.at(-1);
    const elapsedSeconds =
      first === undefined || last === undefined ? 0 : (last.atMs - first.atMs) / 1000;
    return {
      records: stats.records,
      stored: this.sources.store.size,
      evicted: stats.evicted,
      requests: stats.requests,
      byStatus: stats.byStatus,
      bytes: stats.bytes,
      labelSets: this.sources.labelSets.size,
      recordsPerSecond:
        elapsedSeconds > 0.5 ? (last!.records - first!.records) / elapsedSeconds : 0,
    };
  }

  private sendControlsIfChanged(): void {
    if (this.subscribers.size === 0) return;
    const controls = consoleControls(this.sources.faults, this.sources.metadata());
    const text = JSON.stringify(controls);
    if (text === this.controlsSent) return;
    this.controlsSent = text;
    const event = serverSentEvent('controls', controls);
    for (const subscriber of this.subscribers) subscriber.response.write(event);
  }
}
