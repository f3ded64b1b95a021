/**
 * Event-loop delay and the cost of each logging call in an app that logs
 * RATE records/s for DURATION_MS, against a server that answers at once or
 * slowly (run.mjs sets the sink's latency first). One case, in its own
 * process (forked by run.mjs); results go back over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { caseNamed, deliversToSink } from './cases/index.mjs';
import { epochNow } from './lib/epoch-clock.mjs';
import { ltsOptionsFor } from './lib/lts-options.mjs';
import { fieldsOf, messageFor } from './lib/records.mjs';
import { sinkCount, sinkWait } from './lib/sink-client.mjs';

const { CASE: caseName, SINK_URL: sinkUrl } = process.env;
const rate = Number(process.env.RATE ?? 10_000);
const durationMs = Number(process.env.DURATION_MS ?? 3000);
const timeoutMs = Number(process.env.DELIVERY_TIMEOUT_MS ?? 60_000);
const tickMs = 5;

const benchCase = caseNamed(caseName);
const message = messageFor(200);
const toSink = deliversToSink(benchCase);
const baseline = toSink ? await sinkCount(sinkUrl) : 0;
const logger = await benchCase.open({ sinkUrl, ltsOptions: ltsOptionsFor(sinkUrl) });

const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const startedAt = epochNow();
let logged = 0;
// The app's cost per logging call, measured around each call (performance.now() adds ~0.05 µs).
const callMicros = [];
// Each tick logs what is due by now, so a slow tick is followed by a burst, as in a real app.
await new Promise((resolve) => {
  const timer = setInterval(() => {
    const elapsed = epochNow() - startedAt;
    const due = Math.min(
      Math.floor((elapsed * rate) / 1000),
      Math.floor((durationMs * rate) / 1000),
    );
    while (logged < due) {
      const fields = fieldsOf(logged);
      const before = performance.now();
      logger.log(fields, message);
      callMicros.push((performance.now() - before) * 1000);
      logged += 1;
    }
    if (elapsed >= durationMs) {
      clearInterval(timer);
      resolve();
    }
  }, tickMs);
});
const loggedForMs = epochNow() - startedAt;
histogram.disable();

const delivery = toSink
  ? sinkWait(sinkUrl, baseline + logged, timeoutMs, 15_000)
  : Promise.resolve({ count: logged });
// A ref'd timer: pino's worker is unref'd, so its 'close' alone would not keep the process alive.
let closeTimer;
await Promise.race([
  logger.close().catch(() => {}),
  new Promise((resolve) => {
    closeTimer = setTimeout(resolve, timeoutMs);
  }),
]);
clearTimeout(closeTimer);
const delivered = await delivery;
callMicros.sort((left, right) => left - right);
const callPercentile = (fraction) =>
  callMicros[Math.min(callMicros.length - 1, Math.floor(callMicros.length * fraction))] ?? 0;
const result = {
  case: caseName,
  serverLatencyMs: Number(process.env.SERVER_LATENCY_MS ?? 0),
  callMeanMicros: callMicros.reduce((total, value) => total + value, 0) / (callMicros.length || 1),
  callP99Micros: callPercentile(0.99),
  logged,
  achievedRate: (logged * 1000) / loggedForMs,
  p50Ms: histogram.percentile(50) / 1e6,
  p99Ms: histogram.percentile(99) / 1e6,
  maxMs: histogram.max / 1e6,
  delivered: toSink ? delivered.count - baseline : logged,
};
process.send?.({ type: 'result', result }, () => process.exit(0));
if (!process.send) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
