/** Calls to the sink's control routes. */
export async function sinkCount(sinkUrl) {
  const response = await fetch(`${sinkUrl}/_sink/count`);
  return (await response.json()).count;
}

/** Waits until the sink holds `count` records in total: `{ count, reachedAt }`, `reachedAt` null after `timeoutMs`, or `idleMs` without a new record. */
export async function sinkWait(sinkUrl, count, timeoutMs, idleMs = timeoutMs) {
  const query = `count=${count}&timeoutMs=${Math.round(timeoutMs)}&idleMs=${Math.round(idleMs)}`;
  // A shutdown that blocks the main thread (pino's transport.end() waits up to 10 s) can outlive the
  // pooled keep-alive socket this request was to use: ask again on a network error.
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${sinkUrl}/_sink/wait?${query}`);
      return await response.json();
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Sets the sink's answer delay (0 = at once). */
export async function sinkLatency(sinkUrl, milliseconds) {
  await fetch(`${sinkUrl}/_sink/latency?ms=${milliseconds}`, { method: 'POST' });
}

/** Forgets the arrival history, so the next case's waits only see its own requests. */
export async function sinkTrim(sinkUrl) {
  await fetch(`${sinkUrl}/_sink/trim`, { method: 'POST' });
}
