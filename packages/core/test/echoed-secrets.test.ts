import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DropEvent, LtsClient } from '../src/index.ts';

// A gateway that echoes the request's credentials back in its refusal, the
// way proxies and API gateways do in error pages: whole, URL-encoded, cut
// short, and the Authorization header with its signature.

const ids = {
  projectId: '0123456789abcdef0123456789abcdef',
  logGroupId: '01234567-89ab-cdef-0123-456789abcdef',
  logStreamId: 'fedcba98-7654-3210-fedc-ba9876543210',
};
const secret = 'Sk3cretSk3cretSk3cretSk3cretSk3cretSk3c';
// Temporary keys' security tokens carry '+', '/' and '=' (base64), which URL-encoding changes.
const securityToken = `gQpjbi1ub3J0aC00+/=${'Qx+/'.repeat(200)}end`;

let server: ReturnType<typeof createServer> | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function echoingGateway(): Promise<string> {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    request.on('end', () => {
      const token = String(request.headers['x-security-token'] ?? '');
      const echo = [
        `token ${encodeURIComponent(token)} rejected`,
        `prefix ${token.slice(0, 24)}…`,
        `tail …${token.slice(-30)}`,
        `authorization ${request.headers.authorization}`,
      ].join('; ');
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error_code: 'APIGW.0301', error_msg: echo }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('secrets a server echoes back', () => {
  it('are masked in drops, errors and stats: whole, URL-encoded, cut short, and the signature', async () => {
    const drops: DropEvent[] = [];
    const errors: Error[] = [];
    const client = new LtsClient({
      endpoint: await echoingGateway(),
      ...ids,
      accessKey: { id: 'AKIDEXAMPLE00000000', secret, securityToken },
      onDrop: (event) => drops.push(event),
      onError: (error) => errors.push(error),
      fallback: 'none',
    });
    client.send({ content: 'refused' });
    await client.close();
    expect(drops).toMatchObject([{ reason: 'unauthorized', count: 1 }]);
    const everything = JSON.stringify([
      drops.map((drop) => [drop.message, drop.error?.message, drop.error?.stack]),
      errors.map((error) => [error.message, error.stack]),
      client.stats(),
    ]);
    // The answer is still there to read, its secrets masked.
    expect(everything).toContain('APIGW.0301');
    expect(everything).toContain('Signature=[redacted]');
    for (const leaked of [
      securityToken,
      encodeURIComponent(securityToken),
      securityToken.slice(0, 20),
      encodeURIComponent(securityToken).slice(0, 20),
      securityToken.slice(-20),
      secret,
    ]) {
      expect(everything).not.toContain(leaked);
    }
    expect(everything).not.toMatch(/Signature=[0-9a-f]{8}/);
  });
});
