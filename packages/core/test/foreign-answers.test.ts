import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LtsDeliveryError } from '../src/index.ts';
import { closeObservedClients, observedClient } from './observed-client.ts';

// Only LTS's own answer counts as delivery (a captive portal or a proxy's page
// answering 200 must not), and redirects are not followed.

const servers: Server[] = [];
afterEach(async () => {
  await closeObservedClients();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serverAnswering(answer: (response: ServerResponse) => void): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => answer(response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ids = {
  projectId: '0123456789abcdef0123456789abcdef',
  logGroupId: '01234567-89ab-cdef-0123-456789abcdef',
  logStreamId: 'fedcba98-7654-3210-fedc-ba9876543210',
  token: 'a-token-value',
};

function clientAt(endpoint: string) {
  return observedClient({
    endpoint,
    ...ids,
    lingerMs: 5,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
}

describe('an endpoint with the wrong scheme', () => {
  it('https:// to a plain-HTTP server: the error says the server does not speak TLS', async () => {
    const endpoint = await serverAnswering((response) => response.end('{}'));
    const { client, errors } = clientAt(endpoint.replace('http://', 'https://'));
    client.send({ content: 'x' });
    await client.flush();
    expect(client.stats().delivered).toBe(0);
    expect(errors[0]!.message).toMatch(
      /does not speak TLS: is the endpoint http:\/\/, not https:\/\//,
    );
  });
});

describe('what counts as delivered', () => {
  it('a 200 page from a captive portal is a failed attempt, retried, then dropped with an excerpt', async () => {
    const endpoint = await serverAnswering((response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        '<html><head><title>Sign in to the guest Wi-Fi</title></head><body>…</body></html>',
      );
    });
    const { client, drops, errors } = clientAt(endpoint);
    client.send({ content: 'not delivered' });
    await client.flush();
    expect(client.stats()).toMatchObject({ delivered: 0, dropped: 1, requests: 3 });
    expect(drops.map((event) => event.reason)).toEqual(['retries-exhausted']);
    expect(errors[0]).toBeInstanceOf(LtsDeliveryError);
    expect(errors[0]!.message).toMatch(
      /HTTP 200 but not an LTS answer \(text\/html\): "<html><head><title>Sign in to the guest Wi-Fi/,
    );
  });

  it('a 200 with JSON that is not LTS’s success (or an empty 204) is not delivery either', async () => {
    for (const [status, body] of [
      [200, '{"ok":true}'],
      [204, ''],
      [200, '{"errorCode":"SVCSTG.ALS.400.104","error_msg":"wrong"}'],
    ] as const) {
      const endpoint = await serverAnswering((response) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(body);
      });
      const { client } = clientAt(endpoint);
      client.send({ content: 'x' });
      await client.flush();
      expect(client.stats().delivered, `${status} ${body}`).toBe(0);
    }
  });

  it('a redirect is not followed, and the error says where it pointed', async () => {
    const endpoint = await serverAnswering((response) => {
      response.writeHead(302, { location: 'https://portal.example/login?next=lts' });
      response.end();
    });
    const { client, drops, errors } = clientAt(endpoint);
    client.send({ content: 'not delivered' });
    await client.flush();
    expect(client.stats()).toMatchObject({ delivered: 0, dropped: 1, requests: 3 });
    expect(drops[0]!.reason).toBe('retries-exhausted');
    expect(errors[0]!.message).toMatch(
      /HTTP 302 redirect to https:\/\/portal\.example\/login\?next=lts, not followed/,
    );
  });

  it('LTS’s own success answer is delivery', async () => {
    const endpoint = await serverAnswering((response) => {
      response.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
      response.end(
        '{"errorCode":"SVCSTG.ALS.200.200","error_msg":"Report success.","result":null}',
      );
    });
    const { client } = clientAt(endpoint);
    client.send({ content: 'delivered' });
    await client.flush();
    expect(client.stats()).toMatchObject({ delivered: 1, requests: 1 });
  });
});
