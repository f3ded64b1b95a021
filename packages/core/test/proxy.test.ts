import {
  closedPort,
  emulatorTest,
  type ForwardProxy,
  startForwardProxy,
} from '@logtank/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { LtsOptionsError } from '../src/index.ts';
import { resolveOptions } from '../src/options.ts';
import { proxyFor } from '../src/proxy-choice.ts';
import { closeObservedClients, observedClient } from './observed-client.ts';
import { runApp } from './support.ts';

const proxies: ForwardProxy[] = [];

afterEach(async () => {
  await closeObservedClients();
  await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
});

async function proxyWith(options: Parameters<typeof startForwardProxy>[0] = {}) {
  const proxy = await startForwardProxy(options);
  proxies.push(proxy);
  return proxy;
}

describe('a forward proxy', () => {
  emulatorTest(
    'forwards http requests in absolute form (as curl does) and delivers',
    async ({ emulator }) => {
      const proxy = await proxyWith();
      const { client } = observedClient({
        ...emulator.clientOptions(),
        proxy: proxy.url,
        lingerMs: 5,
      });
      for (let index = 0; index < 20; index++) client.send({ content: `via proxy ${index}` });
      await client.flush();
      expect(emulator.records()).toHaveLength(20);
      expect(proxy.requests.length).toBeGreaterThan(0);
      for (const request of proxy.requests) {
        expect(request).toMatchObject({ method: 'POST' });
        expect(request.target.startsWith(`${emulator.url}/v2/`)).toBe(true);
      }
    },
  );

  emulatorTest(
    'tunnels https with CONNECT, verifying the LTS certificate end to end',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ tls: true });
      const proxy = await proxyWith({ credentials: 'shipper:proxy-pass-word' });
      const proxyUrl = proxy.url.replace('http://', 'http://shipper:proxy-pass-word@');
      const trusted = observedClient({ ...emulator.clientOptions(), proxy: proxyUrl, lingerMs: 5 });
      trusted.client.send({ content: 'through the tunnel' });
      await trusted.client.flush();
      expect(emulator.records().map((record) => record.content)).toEqual(['through the tunnel']);
      const host = new URL(emulator.url).host;
      expect(proxy.requests[0]).toMatchObject({
        method: 'CONNECT',
        target: host,
        authorization: `Basic ${Buffer.from('shipper:proxy-pass-word').toString('base64')}`,
      });

      // Without the CA the tunnel is no excuse: verification fails, nothing is sent.
      const { tls: _trust, ...untrusted } = emulator.clientOptions();
      const refused = observedClient({ ...untrusted, proxy: proxyUrl, lingerMs: 5 });
      refused.client.send({ content: 'not verified' });
      await refused.client.flush();
      expect(refused.drops.map((event) => event.reason)).toEqual(['tls']);
      expect(emulator.records()).toHaveLength(1);
      const said = JSON.stringify([
        refused.errors.map((error) => error.message),
        trusted.errors.map((error) => error.message),
        refused.drops.map((event) => event.message),
      ]);
      expect(said).not.toContain('proxy-pass-word');
    },
  );

  emulatorTest(
    'comes from HTTPS_PROXY/HTTP_PROXY/NO_PROXY in a real process, and the metadata service never goes through it',
    async ({ emulatorWith }) => {
      const emulator = await emulatorWith({ metadata: true });
      const proxy = await proxyWith();
      const proxied = await runApp('exit-app.mjs', {
        CLIENT_OPTIONS: JSON.stringify({
          ...emulator.clientOptions({ credentials: 'ecs-metadata' }),
          lingerMs: 5,
        }),
        RECORDS: '10',
        EXIT_MODE: 'close',
        HTTP_PROXY: proxy.url,
      });
      expect(proxied.code, proxied.stderr).toBe(0);
      expect(emulator.records()).toHaveLength(10);
      const targets = proxy.requests.map((request) => request.target);
      expect(targets.length).toBeGreaterThan(0);
      expect(targets.every((target) => target.startsWith(`${emulator.url}/v2/`))).toBe(true);
      // The metadata stand-in was asked for keys, but not through the proxy.
      expect(emulator.metadata!.issuedKeys()).toBe(1);

      proxy.requests.length = 0;
      const bypassed = await runApp('exit-app.mjs', {
        CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 5 }),
        RECORDS: '10',
        EXIT_MODE: 'close',
        http_proxy: proxy.url,
        NO_PROXY: 'localhost,127.0.0.1',
      });
      expect(bypassed.code, bypassed.stderr).toBe(0);
      expect(emulator.records()).toHaveLength(20);
      expect(proxy.requests).toEqual([]);
    },
  );

  emulatorTest(
    'a proxy that does not answer is named in the error, with where it was set',
    async ({ emulator }) => {
      // Read once, at construction: set only around it.
      process.env.HTTP_PROXY = `http://user:proxy-secret@127.0.0.1:${await closedPort()}`;
      let observed: ReturnType<typeof observedClient>;
      try {
        observed = observedClient({
          ...emulator.clientOptions(),
          lingerMs: 5,
          retry: { maxAttempts: 1 },
        });
      } finally {
        delete process.env.HTTP_PROXY;
      }
      const { client, errors, drops } = observed;
      client.send({ content: 'never reaches the proxy' });
      await client.flush();
      expect(drops.map((event) => event.reason)).toEqual(['retries-exhausted']);
      expect(errors[0]!.message).toMatch(
        /ECONNREFUSED .* \(through the proxy http:\/\/127\.0\.0\.1:\d+ \(from HTTP_PROXY\)\)/,
      );
      expect(JSON.stringify(errors.map((error) => error.message))).not.toContain('proxy-secret');
    },
  );

  emulatorTest('is ignored with proxy: false', async ({ emulator }) => {
    const proxy = await proxyWith();
    const environment = { HTTP_PROXY: proxy.url };
    const resolved = resolveOptions({ ...emulator.clientOptions(), proxy: false }, environment);
    expect(resolved.proxy).toBeUndefined();
    expect(resolveOptions(emulator.clientOptions(), environment).proxy).toEqual({
      url: new URL(proxy.url),
      source: 'HTTP_PROXY',
    });
  });
});

describe('choosing the proxy (curl’s rules)', () => {
  const https = new URL('https://192.0.2.10:8102');
  const http = new URL('http://127.0.0.1:8102');

  it('reads the variable of the target’s scheme, lower case first, then ALL_PROXY', () => {
    expect(proxyFor(https, undefined, { HTTPS_PROXY: 'http://upper:1' })?.url.host).toBe('upper:1');
    expect(
      proxyFor(https, undefined, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })
        ?.url.host,
    ).toBe('lower:1');
    expect(proxyFor(https, undefined, { HTTP_PROXY: 'http://plain:1' })).toBeUndefined();
    expect(proxyFor(http, undefined, { HTTP_PROXY: 'proxy.example:3128' })?.url.href).toBe(
      'http://proxy.example:3128/',
    );
    expect(proxyFor(https, undefined, { ALL_PROXY: 'http://all:1' })?.url.host).toBe('all:1');
  });

  it.each([
    ['*', true],
    ['192.0.2.10', true],
    ['192.0.2.10:8102', true],
    ['192.0.2.10:443', false],
    ['192.0.2.0/24', true],
    ['198.51.100.0/24', false],
    ['example.com, 192.0.2.11', false],
  ])('NO_PROXY=%s bypasses https://192.0.2.10:8102: %s', (noProxy, bypassed) => {
    const chosen = proxyFor(https, undefined, { HTTPS_PROXY: 'http://proxy:1', NO_PROXY: noProxy });
    expect(chosen === undefined).toBe(bypassed);
  });

  it('matches host names and their subdomains, with or without a leading dot', () => {
    const lts = new URL('https://lts.cn-north-4.myhuaweicloud.com');
    for (const noProxy of [
      'myhuaweicloud.com',
      '.myhuaweicloud.com',
      'LTS.cn-north-4.myhuaweicloud.com',
    ]) {
      expect(
        proxyFor(lts, undefined, { HTTPS_PROXY: 'http://p:1', no_proxy: noProxy }),
      ).toBeUndefined();
    }
    expect(
      proxyFor(lts, undefined, { HTTPS_PROXY: 'http://p:1', no_proxy: 'huaweicloud.co' }),
    ).toBeDefined();
  });

  it('refuses what it cannot use, naming the variable, and never shows a proxy password', () => {
    const refuse = (options: object, environment: NodeJS.ProcessEnv) => {
      try {
        resolveOptions(
          {
            endpoint: 'https://192.0.2.10:8102',
            projectId: 'a'.repeat(32),
            logGroupId: 'b'.repeat(36),
            logStreamId: 'c'.repeat(36),
            token: 't',
            ...options,
          },
          environment,
        );
      } catch (error) {
        return error as LtsOptionsError;
      }
      throw new Error('expected a refusal');
    };
    const socks = refuse({}, { HTTPS_PROXY: 'socks5://user:secret-word@proxy:1080' });
    expect(socks).toBeInstanceOf(LtsOptionsError);
    expect(socks.option).toBe('HTTPS_PROXY');
    expect(socks.message).toMatch(/socks5 proxies are not supported/);
    expect(socks.message).not.toContain('secret-word');
    expect(refuse({ proxy: 42 }, {}).option).toBe('proxy');
  });
});
