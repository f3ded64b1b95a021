import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';

// What @logtank/pino relies on that no pino package documents. Each test
// fails if pino changes it, and names the function that relies on it.

const probe = fileURLToPath(new URL('./fixtures/pino-worker-probe.mjs', import.meta.url));

describe('pino.transport()', () => {
  it('tells its worker that pino will send its configuration (src/pino-worker.ts startedByPinoTransport)', async () => {
    const transport = pino.transport({ target: probe });
    const [willSendConfig] = (await once(transport, 'probe')) as [unknown];
    transport.end();

    expect(willSendConfig).toBe(true);
  });
});
