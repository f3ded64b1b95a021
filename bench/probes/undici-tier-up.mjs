/**
 * What the first requests of an LtsClient cost a process besides the
 * requests themselves. undici parses responses with llhttp compiled to
 * WebAssembly, and soon after its first use V8 recompiles that parser with
 * its optimizing compiler on background threads. This sends `--requests N`
 * flushes (default 1) through the public client to a local node:http server
 * (whose own parser is native), then idles 1.5 s, and prints the CPU of both
 * phases: the main thread's and the other threads'.
 *
 *   node probes/undici-tier-up.mjs [--requests N]
 *   node --liftoff-only probes/undici-tier-up.mjs   (V8 without the recompilation, to compare)
 */
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { LtsClient } from '@logtank/core';
import { ltsOptionsFor } from '../lib/lts-options.mjs';
import { threadCpuMs } from '../lib/thread-cpu.mjs';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '1' } } });
const requests = Number(values.requests);
// Bounded: never outlives 30 s, whatever happens.
setTimeout(() => {
  process.stderr.write('probe: timed out\n');
  process.exit(1);
}, 30_000).unref();

const success = JSON.stringify({
  errorCode: 'SVCSTG.ALS.200.200',
  error_msg: 'Report success.',
  result: null,
});
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(success);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}`;

/** CPU so far: all threads (process.cpuUsage) and the main thread alone. */
const cpuNow = () => {
  const usage = process.cpuUsage();
  return { all: (usage.user + usage.system) / 1000, main: threadCpuMs() };
};
const phase = (name, before, after) => {
  const all = after.all - before.all;
  const main = after.main === undefined ? undefined : after.main - before.main;
  const other =
    main === undefined
      ? ''
      : `, main thread ${main} ms, other threads ${Math.max(0, all - main).toFixed(0)} ms`;
  process.stdout.write(`${name.padEnd(28)} CPU ${all.toFixed(0)} ms${other}\n`);
};

const start = cpuNow();
// Errors and drops, if any, go to stderr (the client's defaults); the count below fails the probe.
const client = new LtsClient(ltsOptionsFor(url));
for (let index = 0; index < requests; index++) {
  client.send({ content: `probe record ${index}` });
  await client.flush();
}
const sent = cpuNow();
await sleep(1500);
const idle = cpuNow();
phase(`${requests} request(s)`, start, sent);
phase('the next 1.5 s, idle', sent, idle);
const stats = client.stats();
await client.close();
server.close();
if (stats.delivered !== requests) {
  process.stderr.write(`probe: ${stats.delivered} of ${requests} records delivered\n`);
  process.exitCode = 1;
}
