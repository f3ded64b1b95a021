/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export function epochNow() {
  return performance.timeOrigin + performance.now();
}
