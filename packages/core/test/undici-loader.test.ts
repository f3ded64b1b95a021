import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadUndici } from '../src/undici-loader.ts';

describe('loadUndici', () => {
  it("loads undici's pool and request modules, not its package entry", async () => {
    // If an undici upgrade moves these modules the client still works (it
    // falls back to the package entry), but slower to start: this says so.
    const parts = await loadUndici();
    expect(parts.source).toBe('modules');
    const undici = await import('undici');
    expect(parts.Pool).toBe(undici.Pool);
    expect(parts.request).toBe(undici.Pool.prototype.request);
  });

  it('posts through the loaded pool over a real socket', async () => {
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => response.end(`${request.method} ${request.url} ${body}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { Pool, request } = await loadUndici();
    const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const response = await request.call(pool, { path: '/x', method: 'POST', body: 'hello' });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe('POST /x hello');
    } finally {
      await pool.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
