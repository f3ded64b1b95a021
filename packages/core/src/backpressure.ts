/**
 * How long one overload may pause a producer in total: long enough for a
 * burst of ~100 MB to drain at LTS's per-stream rate, short enough that a
 * sustained overload does not pile up upstream, and well inside pino's 10 s
 * exit bound together with the default `closeTimeoutMs`. Not an option: a
 * producer that must never pause simply does not ask.
 */
export const pauseBudgetMs = 2000;

/** What the backpressure decision reads from the client. */
export interface BackpressureState {
  /** Bytes counted against the buffer bound right now. */
  bufferedBytes(): number;
  /** A batch waits to retry after a failure: LTS is not taking records now. */
  failing(): boolean;
  /** The client stopped intake. */
  closing(): boolean;
  /** Sends the open batches now: a paused producer waits for deliveries, so some must be under way. */
  sendOpenBatches(): void;
}

/**
 * Asks a producer that can pause (a pino worker reading from pino's queue) to
 * pause while the buffer is past half of its bound and LTS is accepting, so
 * that a burst waits instead of being dropped. Waiting only helps while
 * deliveries make room; when they fail, or an overload has used up its wait
 * budget, the producer goes on and the overflow policy applies as before,
 * so memory upstream of the client stays bounded too.
 */
export class Backpressure {
  /** Past this the producer is asked to wait... */
  private readonly highWaterBytes: number;
  /** ...and an overload ends (its budget renews) only below this. */
  private readonly lowWaterBytes: number;
  private spentMs = 0;
  private totalMs = 0;
  private pause: { promise: Promise<void>; resolve: () => void; startedAt: number } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    maxBufferBytes: number,
    private readonly budgetMs: number,
    private readonly state: BackpressureState,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.highWaterBytes = maxBufferBytes / 2;
    this.lowWaterBytes = maxBufferBytes / 4;
  }

  /** The current pause, undefined when the producer should go on. */
  wait(): Promise<void> | undefined {
    if (this.pause !== undefined) return this.pause.promise;
    if (!this.shouldWait()) return undefined;
    let resolve!: () => void;
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    this.pause = { promise, resolve, startedAt: this.clock() };
    // Referenced: a paused producer holds records that must not be lost to an early exit.
    this.timer = setTimeout(() => this.resume(), this.budgetMs - this.spentMs);
    // Without this, a buffer not much larger than a batch would wait for lingerMs.
    this.state.sendOpenBatches();
    return promise;
  }

  /** Something changed (room was made, a delivery failed, intake closed): resume if waiting no longer helps. */
  update(): void {
    if (this.state.bufferedBytes() <= this.lowWaterBytes) this.spentMs = 0;
    if (this.pause !== undefined && !this.shouldWait()) this.resume();
  }

  /** Total time producers were paused, in ms. */
  pausedMs(): number {
    const current = this.pause === undefined ? 0 : this.clock() - this.pause.startedAt;
    return Math.round(this.totalMs + current);
  }

  private shouldWait(): boolean {
    return (
      this.spentMs < this.budgetMs &&
      this.state.bufferedBytes() > this.highWaterBytes &&
      !this.state.failing() &&
      !this.state.closing()
    );
  }

  private resume(): void {
    const pause = this.pause;
    if (pause === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pause = undefined;
    const waited = this.clock() - pause.startedAt;
    this.spentMs += waited;
    this.totalMs += waited;
    pause.resolve();
  }
}
