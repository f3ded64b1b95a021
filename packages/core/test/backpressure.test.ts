import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Backpressure } from '../src/backpressure.ts';

// The decision alone, on a fake clock; client.test.ts drives it through LtsClient over HTTP.

const bound = 1000;
const budgetMs = 2000;
let buffered: number;
let failing: boolean;
let closing: boolean;
let sealed: number;
let pacing: Backpressure;

beforeEach(() => {
  vi.useFakeTimers();
  buffered = 0;
  failing = false;
  closing = false;
  sealed = 0;
  pacing = new Backpressure(
    bound,
    budgetMs,
    {
      bufferedBytes: () => buffered,
      failing: () => failing,
      closing: () => closing,
      sendOpenBatches: () => {
        sealed += 1;
      },
    },
    () => Date.now(),
  );
});

afterEach(() => {
  vi.useRealTimers();
});

/** Resolves to true when the promise settled within the fake time already advanced. */
async function settled(promise: Promise<void> | undefined): Promise<boolean> {
  if (promise === undefined) return true;
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('Backpressure', () => {
  it('asks no pause up to half the bound', () => {
    buffered = bound / 2;
    expect(pacing.wait()).toBeUndefined();
    expect(sealed).toBe(0);
  });

  it('pauses past half the bound until room is made, and counts the time', async () => {
    buffered = bound / 2 + 1;
    const pause = pacing.wait();
    expect(pause).toBeInstanceOf(Promise);
    // Every producer shares the one pause; starting it sends the open batches, once.
    expect(pacing.wait()).toBe(pause);
    expect(sealed).toBe(1);
    vi.advanceTimersByTime(300);
    pacing.update();
    expect(await settled(pause)).toBe(false);
    buffered = bound / 2;
    pacing.update();
    expect(await settled(pause)).toBe(true);
    expect(pacing.pausedMs()).toBe(300);
  });

  it('never pauses while delivery is failing, and ends a pause when it starts failing', async () => {
    buffered = bound;
    failing = true;
    expect(pacing.wait()).toBeUndefined();
    failing = false;
    const pause = pacing.wait();
    expect(await settled(pause)).toBe(false);
    failing = true;
    pacing.update();
    expect(await settled(pause)).toBe(true);
  });

  it('ends a pause when the client closes', async () => {
    buffered = bound;
    const pause = pacing.wait();
    closing = true;
    pacing.update();
    expect(await settled(pause)).toBe(true);
    expect(pacing.wait()).toBeUndefined();
  });

  it('pauses one overload for the budget at most, and renews it once the buffer is down to a quarter', async () => {
    buffered = bound;
    const first = pacing.wait();
    vi.advanceTimersByTime(budgetMs - 1);
    expect(await settled(first)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(first)).toBe(true);
    // Still over half, budget spent: the overflow policy takes over.
    expect(pacing.wait()).toBeUndefined();
    // Down to a bit over a quarter: still the same overload.
    buffered = bound / 4 + 1;
    pacing.update();
    buffered = bound;
    expect(pacing.wait()).toBeUndefined();
    buffered = bound / 4;
    pacing.update();
    buffered = bound;
    expect(pacing.wait()).toBeInstanceOf(Promise);
    expect(pacing.pausedMs()).toBe(budgetMs);
  });

  it('spreads the budget over several pauses of one overload', async () => {
    buffered = bound;
    const first = pacing.wait();
    vi.advanceTimersByTime(1500);
    buffered = bound / 2;
    pacing.update();
    expect(await settled(first)).toBe(true);
    buffered = bound;
    const second = pacing.wait();
    vi.advanceTimersByTime(499);
    expect(await settled(second)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(second)).toBe(true);
    expect(pacing.wait()).toBeUndefined();
  });
});
