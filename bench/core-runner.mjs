/**
 * Core alone, in its own process (forked by run.mjs). `MODE=encode`: an
 * LtsClient against the sink, timing the send() loop and the flush, next to a
 * bare JSON.stringify of the same records. `MODE=emulator`: the most MB/s one
 * process pushes into the emulator with the options in `CLIENT_OPTIONS`.
 * Results go back over IPC.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LtsClient } from '@logtank/core';
import { recordObjects } from './lib/content-lines.mjs';
import { epochNow } from './lib/epoch-clock.mjs';
import { requestJson } from './lib/request-json.mjs';

const mode = process.env.MODE;
const count = Number(process.env.RECORDS ?? 100_000);
const recordBytes = Number(process.env.RECORD_BYTES ?? 200);
const clientOptions = JSON.parse(process.env.CLIENT_OPTIONS ?? '{}');
const yieldEvery = 1000;

const objects = recordObjects(count, recordBytes);

/** Times `JSON.stringify` of every record object: the serialisation every logger pays once. */
function stringifyReference() {
  const lines = new Array(count);
  const startedAt = epochNow();
  for (let index = 0; index < count; index++) lines[index] = JSON.stringify(objects[index]);
  return { milliseconds: epochNow() - startedAt, lines };
}

/** Times `JSON.stringify` of the lines as arrays of 4,096: the least work of encoding LTS bodies. */
function arrayStringifyReference(lines) {
  const startedAt = epochNow();
  let bytes = 0;
  for (let start = 0; start < lines.length; start += 4096) {
    bytes += JSON.stringify(lines.slice(start, start + 4096)).length;
  }
  return { milliseconds: epochNow() - startedAt, bytes };
}

async function pushThroughClient(lines) {
  const problems = [];
  const client = new LtsClient({
    ...clientOptions,
    onError: (error) => problems.push(error.message),
    onDrop: (event) => problems.push(`${event.count} dropped: ${event.reason}`),
  });
  const statsBefore = await emulatorStats();
  const cpuBefore = process.cpuUsage();
  const startedAt = epochNow();
  for (let index = 0; index < lines.length; index++) {
    client.send({ content: lines[index] });
    if ((index + 1) % yieldEvery === 0) await yieldToEventLoop();
  }
  const sentAt = epochNow();
  await client.flush();
  const flushedAt = epochNow();
  const cpu = process.cpuUsage(cpuBefore);
  const stats = client.stats();
  await client.close();
  const statsAfter = await emulatorStats();
  return {
    sendMs: sentAt - startedAt,
    totalMs: flushedAt - startedAt,
    delivered: stats.delivered,
    dropped: stats.dropped,
    requests: stats.requests,
    cpuMs: (cpu.user + cpu.system) / 1000,
    bodyBytes: statsAfter && statsBefore ? statsAfter.bytes - statsBefore.bytes : undefined,
    problems: problems.slice(0, 5),
  };
}

/** The emulator's counters, when the endpoint is the emulator. */
async function emulatorStats() {
  if (mode !== 'emulator') return undefined;
  return requestJson(`${clientOptions.endpoint}/_emulator/stats`);
}

const reference = stringifyReference();
const contentBytes = reference.lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
const result = { mode, records: count, recordBytes, contentBytes };
if (mode === 'encode') {
  result.stringifyMs = reference.milliseconds;
  result.arrayStringifyMs = arrayStringifyReference(reference.lines).milliseconds;
}
Object.assign(result, await pushThroughClient(reference.lines));
result.maxRssKb = process.resourceUsage().maxRSS;
process.send?.({ type: 'result', result }, () => process.exit(0));
if (!process.send) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
