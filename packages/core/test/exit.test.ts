import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const app = fileURLToPath(new URL('./fixtures/exit-app.mjs', import.meta.url));
let emulator: Emulator;

beforeEach(async () => {
  emulator = await startEmulator();
});

afterEach(async () => {
  await emulator.stop();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

function runApp(environment: Record<string, string>, timeoutMs = 20_000): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, [app], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the app did not exit within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('process exit', () => {
  it('delivers what is buffered when the program simply reaches its end', async () => {
    const run = await runApp({
      EXIT_MODE: 'natural',
      RECORDS: '500',
      CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(emulator.records().map((record) => record.content)).toEqual(
      Array.from({ length: 500 }, (_, index) => `exit-app ${index}`),
    );
  });

  it('delivers everything on close() and reports balanced stats', async () => {
    const run = await runApp({
      EXIT_MODE: 'close',
      RECORDS: '2000',
      CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
    });
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout.replace(/^closed /, ''));
    expect(stats).toMatchObject({ sent: 2000, delivered: 2000, dropped: 0, buffered: 0 });
    expect(emulator.records()).toHaveLength(2000);
  });

  it('exits promptly when LTS is unreachable, reporting the records it could not deliver', async () => {
    const run = await runApp({
      EXIT_MODE: 'natural',
      RECORDS: '10',
      CLIENT_OPTIONS: JSON.stringify({
        ...emulator.clientOptions(),
        endpoint: `http://127.0.0.1:${await closedPort()}`,
        closeTimeoutMs: 1000,
      }),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('drop close-timeout 10');
    expect(run.elapsedMs).toBeLessThan(8000);
  });

  it('reports records lost to process.exit() instead of losing them silently', async () => {
    const run = await runApp({
      EXIT_MODE: 'process-exit',
      RECORDS: '10',
      CLIENT_OPTIONS: JSON.stringify(emulator.clientOptions()),
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('drop process-exit 10');
  });

  it('does not keep an idle process alive', async () => {
    const run = await runApp({
      EXIT_MODE: 'natural',
      RECORDS: '0',
      CLIENT_OPTIONS: JSON.stringify({ ...emulator.clientOptions(), lingerMs: 60_000 }),
    });
    expect(run.code).toBe(0);
    expect(run.elapsedMs).toBeLessThan(5000);
  });
});
