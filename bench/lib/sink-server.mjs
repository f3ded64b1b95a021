import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { formatOf } from './body-counter.mjs';
import { epochNow } from './epoch-clock.mjs';

/**
 * The neutral sink: one loopback HTTP server that accepts every client's
 * format, counts the records exactly and answers 200 at once (or after
 * `latencyMs`, for the slow-server test). It checks no credentials: a token
 * or an AK/SK signature passes unread, so a signed case's extra cost is the
 * client's alone.
 *
 * Control routes: `GET /_sink/count`, `GET /_sink/wait?count=&timeoutMs=`
 * (answers when the total reaches `count`, with the epoch time it did),
 * `POST /_sink/latency?ms=`.
 */
export async function startSink({ port = 0 } = {}) {
  const totals = { records: 0, requests: 0, bytes: 0, errors: 0, byFormat: {} };
  let latencyMs = 0;
  /** Long-polls waiting for a total: `{ target, answer, timer }`. */
  let waiters = [];
  /** `[epoch ms, total]` after each request since the last trim, so a late waiter learns when its total was reached. */
  let history = [];
  const reachedAtOf = (target) => history.find(([, total]) => total >= target)?.[0] ?? epochNow();
  const sockets = new Set();

  const settleWaiters = () => {
    if (waiters.length === 0) return;
    const reachedAt = epochNow();
    waiters = waiters.filter((waiter) => {
      if (totals.records < waiter.target) {
        waiter.arm();
        return true;
      }
      clearTimeout(waiter.timer);
      waiter.answer({ count: totals.records, reachedAt });
      return false;
    });
  };

  const control = (response, url) => {
    const json = (value) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (url.pathname === '/_sink/count') return json({ count: totals.records, ...totals });
    if (url.pathname === '/_sink/trim') {
      history = [];
      return json({ count: totals.records });
    }
    if (url.pathname === '/_sink/latency') {
      latencyMs = Number(url.searchParams.get('ms') ?? 0);
      return json({ latencyMs });
    }
    if (url.pathname === '/_sink/wait') {
      const target = Number(url.searchParams.get('count'));
      const timeoutMs = Number(url.searchParams.get('timeoutMs') ?? 60_000);
      // Gives up early when nothing has arrived for idleMs: a client that lost records stays lost.
      const idleMs = Number(url.searchParams.get('idleMs') ?? timeoutMs);
      if (totals.records >= target) {
        return json({ count: totals.records, reachedAt: reachedAtOf(target) });
      }
      const deadline = Date.now() + timeoutMs;
      const waiter = { target, answer: json, timer: undefined, arm: undefined };
      waiter.arm = () => {
        clearTimeout(waiter.timer);
        waiter.timer = setTimeout(
          () => {
            waiters = waiters.filter((other) => other !== waiter);
            json({ count: totals.records, reachedAt: null });
          },
          Math.max(0, Math.min(idleMs, deadline - Date.now())),
        );
      };
      waiter.arm();
      waiters.push(waiter);
      return undefined;
    }
    response.writeHead(404).end();
    return undefined;
  };

  const ingest = (request, response, url, body) => {
    let status = 200;
    let reply = '';
    try {
      const format = formatOf(url.pathname, String(request.headers['content-type'] ?? ''));
      const encoding = String(request.headers['content-encoding'] ?? '').toLowerCase();
      const raw = encoding === 'gzip' ? gunzipSync(body) : body;
      const count = format.count(raw.toString('utf8'));
      totals.records += count;
      totals.requests += 1;
      totals.bytes += body.length;
      totals.byFormat[format.name] = (totals.byFormat[format.name] ?? 0) + count;
      reply = format.reply(count);
      history.push([epochNow(), totals.records]);
    } catch (error) {
      // A body we cannot read is a harness bug: count it and answer 400 so it shows.
      totals.errors += 1;
      status = 400;
      reply = JSON.stringify({ error: String(error?.message ?? error) });
      process.stderr.write(`sink: ${request.method} ${url.pathname}: ${reply}\n`);
    }
    const answer = () => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(reply);
    };
    if (latencyMs > 0) setTimeout(answer, latencyMs);
    else answer();
    settleWaiters();
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://sink');
    if (url.pathname.startsWith('/_sink/')) {
      request.resume();
      request.on('end', () => control(response, url));
      return;
    }
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => ingest(request, response, url, Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 10_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Thousands of one-request-per-record clients connect at once: keep the backlog deep.
  await new Promise((resolve) => server.listen(port, '127.0.0.1', 4096, resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}`,
    totals,
    async stop() {
      for (const waiter of waiters) clearTimeout(waiter.timer);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
