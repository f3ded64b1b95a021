import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Starts listening and resolves with the address as a URL's host part
 * (`127.0.0.1:PORT`, `[::1]:PORT`); rejects on a listen error such as
 * EADDRINUSE.
 */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as { port: number; address: string; family: string };
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${shown}:${address.port}`;
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
