import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Why a listen error happened, for the usual ones: said without assuming how the emulator was started. */
const listenReasons: Record<string, string> = {
  EADDRINUSE:
    'the port is already in use by another process; choose another port, or 0 for any free port',
  EACCES: 'permission denied (ports below 1024 usually need privileges)',
  EADDRNOTAVAIL: 'the address is not one of this machine',
  ENOTFOUND: 'the host name is unknown',
  EAI_AGAIN: 'the host name could not be resolved',
};

/** A listen error: its message names the address; `code` is the system error's (EADDRINUSE…). */
export class ListenError extends Error {
  override readonly name = 'ListenError';

  constructor(
    /** `host:port` (`[::1]:port` for IPv6) as it was asked for. */
    readonly address: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    super(
      `startEmulator: cannot listen on ${address}: ${
        (code !== undefined && listenReasons[code]) || ((cause as Error)?.message ?? String(cause))
      }${code === undefined ? '' : ` (${code})`}.`,
      { cause },
    );
  }
}

/** `host:port` as in a URL (`[::1]:8102` for an IPv6 address). */
export function hostAndPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Starts listening and resolves with the address as a URL's host part
 * (`127.0.0.1:PORT`, `[::1]:PORT`); rejects with a {@link ListenError} on a
 * listen error such as EADDRINUSE.
 */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      reject(new ListenError(hostAndPort(host, port), error?.code, error));
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
  const address = server.address() as { port: number; address: string; family: string };
  return hostAndPort(address.address, address.port);
}

/** The server's open connections (TLS ones too), so stop() can end idle keep-alive and hanging ones. */
export function trackConnections(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  return sockets;
}
