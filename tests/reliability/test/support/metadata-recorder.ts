import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recording proxy in front of the emulator's metadata stand-in. */
export interface MetadataRecorder {
  /** `http://127.0.0.1:PORT`: give it to the client as `ecsMetadata.endpoint`. */
  url: string;
  /** The metadata tokens the stand-in issued through this proxy. */
  metadataTokens: string[];
  /** The temporary keys it handed out (with their secrets and security tokens). */
  temporaryKeys: Array<{ id: string; secret: string; securityToken: string }>;
  /** Every secret seen: metadata tokens, secrets (SK) and security tokens. */
  secrets(): string[];
  stop(): Promise<void>;
}

const servers = new Set<Server>();

/**
 * Starts a plain HTTP proxy on loopback that forwards every request to
 * `target` (the metadata stand-in, `emulator.metadataUrl`) and keeps the
 * secrets of its answers: the stand-in's controls never show them, and a
 * secret scan needs the very values the client held.
 */
export async function startMetadataRecorder(target: string): Promise<MetadataRecorder> {
  const metadataTokens: string[] = [];
  const temporaryKeys: MetadataRecorder['temporaryKeys'] = [];
  const server = createServer((incoming, outgoing) => {
    const forwarded = httpRequest(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          record(incoming.method ?? 'GET', incoming.url ?? '/', answer.statusCode ?? 0, body);
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          outgoing.end(body);
        });
      },
    );
    forwarded.on('error', () => {
      outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });

  function record(method: string, path: string, status: number, body: Buffer): void {
    if (status !== 200) return;
    const text = body.toString('utf8');
    if (method === 'PUT' && path.startsWith('/meta-data/latest/api/token')) {
      metadataTokens.push(text.trim());
    } else if (path.startsWith('/openstack/latest/securitykey')) {
      const { credential } = JSON.parse(text) as {
        credential: { access: string; secret: string; securitytoken: string };
      };
      if (!temporaryKeys.some((key) => key.id === credential.access)) {
        temporaryKeys.push({
          id: credential.access,
          secret: credential.secret,
          securityToken: credential.securitytoken,
        });
      }
    }
  }

  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    metadataTokens,
    temporaryKeys,
    secrets: () => [
      ...metadataTokens,
      ...temporaryKeys.flatMap((key) => [key.secret, key.securityToken]),
    ],
    stop: () => stopServer(server),
  };
}

function stopServer(server: Server): Promise<void> {
  servers.delete(server);
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Stops every recorder still running (for afterEach). */
export async function stopMetadataRecorders(): Promise<void> {
  await Promise.all([...servers].map(stopServer));
}
