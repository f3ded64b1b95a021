import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback server that answers every request with an error whose JSON body echoes the request's headers. */
export interface EchoServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The headers of every request, in arrival order. */
  requests: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

const servers = new Set<Server>();

/** Which field of the answer quotes the request's headers (besides `headers`). */
export type EchoField = 'error_msg' | 'error_code';

/**
 * Starts a server that answers the n-th request with `statuses[n]` (the last
 * one for every request after), with a body in the shape LTS and Huawei's API
 * gateway use (`error_code`, `error_msg`) where `echoIn` and a `headers`
 * field carry every request header, as some proxies and debug servers do.
 * What the client shows of that answer must not carry a credential.
 */
export async function startEchoServer(
  statuses: readonly number[],
  echoIn: EchoField = 'error_msg',
): Promise<EchoServer> {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const status = statuses[Math.min(requests.length, statuses.length - 1)]!;
      requests.push(request.headers);
      const echoed = `it carried these headers: ${JSON.stringify(request.headers)}`;
      const body = JSON.stringify({
        error_code: echoIn === 'error_code' ? `ECHO.${status} ${echoed}` : `ECHO.${status}`,
        error_msg: echoIn === 'error_msg' ? `request refused; ${echoed}` : 'request refused',
        headers: request.headers,
      });
      response.writeHead(status, {
        'content-type': 'application/json',
        // A 503 asks to be retried soon.
        ...(status === 503 ? { 'retry-after': '0' } : {}),
      });
      response.end(body);
    });
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, stop: () => stopServer(server) };
}

function stopServer(server: Server): Promise<void> {
  servers.delete(server);
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Stops every echo server still running (for afterEach). */
export async function stopEchoServers(): Promise<void> {
  await Promise.all([...servers].map(stopServer));
}
