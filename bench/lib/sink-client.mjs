/** Calls to the sink's control routes. */
import { setTimeout as sleep } from 'node:timers/promises';
import { requestJson } from './request-json.mjs';

/** The records the sink holds in total. */
export async function sinkCount(sinkUrl) {
  return (await requestJson(`${sinkUrl}/_sink/count`)).count;
}

/** Waits until the sink holds `count` records in total: `{ count, reachedAt }`, `reachedAt` null after `timeoutMs`, or `idleMs` without a new record. */
export async function sinkWait(sinkUrl, count, timeoutMs, idleMs = timeoutMs) {
  const query = `count=${count}&timeoutMs=${Math.round(timeoutMs)}&idleMs=${Math.round(idleMs)}`;
  // Ask again on a network error: a shutdown that blocks the main thread (pino's transport.end()
  // waits up to 10 s) can outlive the pooled keep-alive socket this request was to use, and a peer
  // that opens a socket per record (logstash-http) can use up the process's file descriptors for
  // a while (EMFILE).
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestJson(`${sinkUrl}/_sink/wait?${query}`);
    } catch (error) {
      if (attempt >= 10) throw error;
      await sleep(500);
    }
  }
}

/** Sets the sink's answer delay (0 = at once). */
export async function sinkLatency(sinkUrl, milliseconds) {
  await requestJson(`${sinkUrl}/_sink/latency?ms=${milliseconds}`, 'POST');
}

/** Forgets the arrival history, so the next case's waits only see its own requests. */
export async function sinkTrim(sinkUrl) {
  await requestJson(`${sinkUrl}/_sink/trim`, 'POST');
}
