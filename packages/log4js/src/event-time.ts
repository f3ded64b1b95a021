/**
 * The event's time in epoch milliseconds: `startTime` is a Date, or, for an
 * event that crossed from a cluster worker, may arrive as a string or number.
 * `undefined` when it is not a valid time (the client then uses now).
 */
export function eventTimeMs(startTime: unknown): number | undefined {
  const time =
    startTime instanceof Date
      ? startTime.getTime()
      : typeof startTime === 'number'
        ? startTime
        : typeof startTime === 'string'
          ? Date.parse(startTime)
          : Number.NaN;
  // Beyond ±8.64e15 ms a Date is invalid and toISOString() would throw.
  return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? time : undefined;
}
