import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What went through the proxy. */
export interface ProxiedRequest {
  /** `CONNECT` for a tunnel, else the method of a forwarded request. */
  method: string;
  /** `host:port` of a tunnel, or the absolute URL of a forwarded request. */
  target: string;
  /** The `Proxy-Authorization` header, if one came. */
  authorization: string | undefined;
}

/** A forward proxy on loopback, as corporate networks run them. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Everything that went through, in order. */
  readonly requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts a forward proxy on 127.0.0.1: `CONNECT host:port` opens a tunnel
 * (https targets: TLS stays end to end), an absolute-form request is
 * forwarded (http targets). With `credentials` (`user:password`), anything
 * without that Basic `Proxy-Authorization` gets 407.
 */
export async function startForwardProxy(
  options: { credentials?: string } = {},
): Promise<ForwardProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const expected =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const allowed = (request: IncomingMessage) =>
    expected === undefined || request.headers['proxy-authorization'] === expected;

  const server: Server = createServer((request, response) => {
    requests.push({
      method: request.method ?? 'GET',
      target: request.url ?? '',
      authorization: request.headers['proxy-authorization'],
    });
    if (!allowed(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"' }).end();
      return;
    }
    const target = new URL(request.url ?? '/');
    const {
      'proxy-authorization': _credentials,
      'proxy-connection': _connection,
      ...headers
    } = request.headers;
    const forwarded = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: request.method,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.writeHead(502).end());
    request.pipe(forwarded);
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    requests.push({
      method: 'CONNECT',
      target: request.url ?? '',
      authorization: request.headers['proxy-authorization'],
    });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (!allowed(request)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\n\r\n',
      );
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
