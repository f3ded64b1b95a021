/**
 * One case in its own process (forked by run.mjs): log N records as fast as
 * the logger's API allows, shut down the documented way, wait until the sink
 * has every record (or the timeout), and report the measurements over IPC.
 *
 * Every case yields to the event loop every 1,000 records: pino.transport
 * hands lines to its worker only on setImmediate, and in-process transports
 * get their sockets serviced only then, so all cases pay the same yields.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { caseNamed, deliversToSink } from './cases/index.mjs';
import { epochNow } from './lib/epoch-clock.mjs';
import { ltsOptionsFor } from './lib/lts-options.mjs';
import { fieldsOf, messageFor } from './lib/records.mjs';
import { sinkCount, sinkWait } from './lib/sink-client.mjs';
import { threadCpuMs } from './lib/thread-cpu.mjs';

const { CASE: caseName, SINK_URL: sinkUrl } = process.env;
const count = Number(process.env.RECORDS ?? 100_000);
const recordBytes = Number(process.env.RECORD_BYTES ?? 200);
const timeoutMs = Number(process.env.DELIVERY_TIMEOUT_MS ?? 60_000);
const idleMs = Number(process.env.DELIVERY_IDLE_MS ?? 12_000);
const yieldEvery = 1000;

const benchCase = caseNamed(caseName);
const message = messageFor(recordBytes);
const toSink = deliversToSink(benchCase);
const baseline = toSink ? await sinkCount(sinkUrl) : 0;
const logger = await benchCase.open({ sinkUrl, ltsOptions: ltsOptionsFor(sinkUrl) });

const cpuBefore = process.cpuUsage();
const mainThreadCpuBefore = threadCpuMs();
const startedAt = epochNow();
for (let index = 0; index < count; index++) {
  logger.log(fieldsOf(index), message);
  if ((index + 1) % yieldEvery === 0) await yieldToEventLoop();
}
const loopEndedAt = epochNow();

// Ask the sink before shutting down: some shutdowns block the main thread,
// and the sink remembers when the total was reached either way.
const delivery = toSink
  ? sinkWait(sinkUrl, baseline + count, timeoutMs, idleMs)
  : Promise.resolve({ count, reachedAt: null });
let closeError;
let closeTimer;
const closed = await Promise.race([
  logger.close().then(
    () => true,
    (error) => {
      closeError = String(error?.message ?? error);
      return true;
    },
  ),
  new Promise((resolve) => {
    closeTimer = setTimeout(() => resolve(false), timeoutMs);
  }),
]);
clearTimeout(closeTimer);
const closedAt = epochNow();
const delivered = await delivery;
const cpu = process.cpuUsage(cpuBefore);
const mainThreadCpuAfter = threadCpuMs();

const deliveredRecords = toSink ? delivered.count - baseline : count;
const complete = toSink ? delivered.reachedAt !== null : closed;
// Floors write to /dev/null: done when the documented shutdown returned.
const doneAt = toSink ? (delivered.reachedAt ?? epochNow()) : closedAt;
const result = {
  case: caseName,
  records: count,
  recordBytes,
  loopMs: loopEndedAt - startedAt,
  wallMs: doneAt - startedAt,
  closeMs: closedAt - loopEndedAt,
  closed,
  closeError,
  delivered: Math.min(deliveredRecords, count),
  extra: Math.max(0, deliveredRecords - count),
  complete,
  cpuMs: (cpu.user + cpu.system) / 1000,
  // Linux only; the rest of cpuMs ran on other threads.
  mainThreadCpuMs:
    mainThreadCpuAfter === undefined ? undefined : mainThreadCpuAfter - mainThreadCpuBefore,
  maxRssKb: process.resourceUsage().maxRSS,
};
process.send?.({ type: 'result', result }, () => process.exit(0));
if (!process.send) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
