import type { Batch } from './batch.ts';
import { defaults } from './defaults.ts';
import type { Reporter } from './reporter.ts';
import { writeStderrBounded } from './stderr.ts';
import type { ClientStats, DropEvent, DropReason, Fallback } from './types.ts';

const dropReasons: readonly DropReason[] = [
  'buffer-full',
  'rejected',
  'unauthorized',
  'too-large',
  'retries-exhausted',
  'tls',
  'close-timeout',
  'process-exit',
  'closed',
  'empty',
  'invalid',
  'spool-full',
];

/** Reasons after which a spool keeps the records instead of dropping them. */
const spillableReasons = new Set<DropReason>([
  'buffer-full',
  'retries-exhausted',
  'close-timeout',
  'process-exit',
]);

/**
 * The client's accounts: every record sent is buffered until it is delivered
 * or dropped, so `delivered + dropped + buffered === sent` at every moment.
 * Also the one place drops are reported from.
 */
export class Ledger {
  sent = 0;
  delivered = 0;
  dropped = 0;
  bufferedRecords = 0;
  bufferedBytes = 0;
  inFlightRequests = 0;
  requests = 0;
  retries = 0;
  splits = 0;
  truncated = 0;
  labelSetOverflows = 0;
  timesReplaced = 0;
  spooled = 0;
  recovered = 0;
  /** Dropped records the stderr fallback did not write because stderr was not keeping up. */
  fallbackSkipped = 0;
  /** Set when a disk spool is configured: saves a batch, true when it is on disk. */
  spill: ((batch: Batch) => boolean) | undefined;
  /** Called whenever the buffer shrinks (a batch delivered, dropped or spooled). */
  onRelease: (() => void) | undefined;
  private readonly droppedByReason = Object.fromEntries(
    dropReasons.map((reason) => [reason, 0]),
  ) as Record<DropReason, number>;

  constructor(
    private readonly reporter: Reporter,
    private readonly fallback: Exclude<Fallback, 'none'> | undefined,
  ) {}

  /** A record joined a batch, growing the buffer by `bytes`. */
  admit(bytes: number): void {
    this.bufferedRecords += 1;
    this.bufferedBytes += bytes;
  }

  /** A batch's bytes changed without records moving (a split re-adds envelopes). */
  resize(bytes: number): void {
    this.bufferedBytes += bytes;
  }

  /** LTS accepted the batch. */
  deliver(batch: Batch): void {
    if (batch.settled) return;
    this.delivered += batch.count;
    this.release(batch);
    batch.settle();
  }

  /** The batch is given up; reports it with its contents. */
  dropBatch(batch: Batch, reason: DropReason, message: string, error?: Error): void {
    if (batch.settled) return;
    const count = batch.count;
    if (count === 0) {
      // A batch split in halves: its records are accounted for by the halves.
      batch.settle();
      return;
    }
    if (this.spill !== undefined && spillableReasons.has(reason) && this.spill(batch)) {
      this.spooled += count;
      this.release(batch);
      batch.settle();
      return;
    }
    this.count(reason, count);
    this.release(batch);
    this.report(reason, count, message, () => batch.records(), error);
    batch.settle();
  }

  /** Records read back from the spool join the buffer. */
  recover(batch: Batch): void {
    this.recovered += batch.count;
    this.bufferedRecords += batch.count;
    this.bufferedBytes += batch.bytes;
  }

  /** Spooled records deleted to make room in the spool. */
  dropEvicted(contents: string[]): void {
    if (contents.length === 0) return;
    this.recovered += contents.length;
    this.count('spool-full', contents.length);
    this.report(
      'spool-full',
      contents.length,
      'the disk spool was full: its oldest segment was deleted to make room',
      () => contents,
    );
  }

  /** A record that never entered a batch. */
  dropRecord(reason: DropReason, content: string, message: string): void {
    this.count(reason, 1);
    this.report(reason, 1, message, () => [content]);
  }

  stats(tokenRenewals: number, pausedMs: number): ClientStats {
    return {
      sent: this.sent,
      delivered: this.delivered,
      dropped: this.dropped,
      spooled: this.spooled,
      recovered: this.recovered,
      droppedByReason: { ...this.droppedByReason },
      buffered: this.bufferedRecords,
      bufferedBytes: this.bufferedBytes,
      inFlightRequests: this.inFlightRequests,
      requests: this.requests,
      retries: this.retries,
      splits: this.splits,
      truncated: this.truncated,
      tokenRenewals,
      labelSetOverflows: this.labelSetOverflows,
      timesReplaced: this.timesReplaced,
      fallbackSkipped: this.fallbackSkipped,
      pausedMs,
    };
  }

  private release(batch: Batch): void {
    this.bufferedRecords -= batch.count;
    this.bufferedBytes -= batch.bytes;
    this.onRelease?.();
  }

  private count(reason: DropReason, count: number): void {
    this.dropped += count;
    this.droppedByReason[reason] += count;
  }

  private report(
    reason: DropReason,
    count: number,
    message: string,
    contents: () => string[],
    error?: Error,
  ): void {
    const event: DropEvent = {
      reason,
      count,
      message,
      get contents() {
        return contents();
      },
      ...(error === undefined ? {} : { error }),
    };
    this.reporter.drop(event);
    if (this.fallback === 'stderr') {
      // Skipped at once when stderr is already far behind: no text is built.
      let written = process.stderr.writableLength <= defaults.fallbackQueueBytes;
      if (written) {
        let text = '';
        for (const content of contents()) text += `[logtank ${reason}] ${content}\n`;
        written = writeStderrBounded(text, defaults.fallbackQueueBytes);
      }
      if (!written) {
        this.fallbackSkipped += count;
        this.reporter.fallbackSkipped(count);
      }
    } else if (this.fallback !== undefined) {
      try {
        this.fallback(contents(), reason);
      } catch {
        // The fallback must not break the logging path.
      }
    }
  }
}
