import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { type ChildRun, killChildren, runNode } from '@logtank/test-support';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { byTime, messageOf, numberedMessages } from './helpers/records.ts';

// The `logtank` bin, spawned as `node dist/cli.mjs` with logs piped into stdin.

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
let emulator: Emulator;

beforeEach(async () => {
  // Checking tokens: only emulator.token is accepted, so a wrong one is refused (401).
  emulator = await startEmulator({ tokens: [] });
});

afterEach(async () => {
  killChildren();
  await emulator.stop();
});

function runCli(args: readonly string[], input = '', env: Record<string, string> = {}) {
  return runNode([cli, ...args], { input, env, timeoutMs: 20_000 });
}

/** The connection flags for the emulator. */
function connectionFlags(overrides: { token?: string } = {}): string[] {
  const options = emulator.clientOptions();
  return [
    '--endpoint',
    options.endpoint,
    '--project-id',
    options.projectId,
    '--log-group-id',
    options.logGroupId,
    '--log-stream-id',
    options.logStreamId,
    '--token',
    overrides.token ?? options.token,
  ];
}

/** NDJSON as pino writes it. */
function pinoOutput(count: number): string {
  const chunks: string[] = [];
  const logger = pino(
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    }),
  );
  for (let index = 0; index < count; index++) {
    logger[index % 3 === 0 ? 'warn' : 'info']({ index }, `record ${index}`);
  }
  return chunks.join('');
}

function expectNoSecret(run: ChildRun, secret: string): void {
  expect(run.stdout).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
}

describe('logtank CLI: shipping', () => {
  it('ships pino NDJSON from stdin with labels and exits 0 once stdin ends', async () => {
    const input = pinoOutput(1000);
    const run = await runCli(
      [...connectionFlags(), '--label', 'env=test', '--label-key', 'level', '--linger-ms', '50'],
      input,
    );

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // One request carries one base time, so order is kept within each label set.
    const lines = input.trimEnd().split('\n');
    for (const level of ['warn', 'info']) {
      const records = byTime(emulator.records()).filter((record) => record.labels.level === level);
      expect(records.map((record) => record.content)).toEqual(
        lines.filter((line) => line.includes(`"level":${level === 'warn' ? 40 : 30}`)),
      );
      for (const record of records) expect(record.labels).toEqual({ env: 'test', level });
    }
    expect(emulator.records()).toHaveLength(1000);
  });

  it('ships plain text line by line, skipping blank lines', async () => {
    const lines = Array.from({ length: 300 }, (_, index) => `plain line ${index} ünïcödé`);
    const input = `${lines.slice(0, 100).join('\n')}\n\n   \n${lines.slice(100).join('\r\n')}`;
    const run = await runCli(connectionFlags(), input);

    expect(run.code).toBe(0);
    expect(byTime(emulator.records()).map((record) => record.content)).toEqual(lines);
  });

  it('ships a mix of JSON and text, each line once', async () => {
    const json = pinoOutput(50).trimEnd().split('\n');
    const mixed = json.flatMap((line, index) => [line, `text ${index}`]);
    const run = await runCli(connectionFlags(), `${mixed.join('\n')}\n`);

    expect(run.code).toBe(0);
    expect(
      emulator
        .records()
        .map((record) => record.content)
        .sort(),
    ).toEqual([...mixed].sort());
  });

  it('takes every connection option from the LTS_* environment', async () => {
    const options = emulator.clientOptions();
    const run = await runCli([], pinoOutput(10), {
      LTS_ENDPOINT: options.endpoint,
      LTS_PROJECT_ID: options.projectId,
      LTS_LOG_GROUP_ID: options.logGroupId,
      LTS_LOG_STREAM_ID: options.logStreamId,
      LTS_TOKEN: options.token,
    });

    expect(run.code).toBe(0);
    expect(byTime(emulator.records()).map(messageOf)).toEqual(numberedMessages(10));
  });

  it('copies stdin to stdout with --tee', async () => {
    const input = pinoOutput(20);
    const run = await runCli([...connectionFlags(), '--tee'], input);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(input);
    expect(emulator.records()).toHaveLength(20);
  });

  it('exits 1 and says how many were dropped when LTS rejects the token, without echoing it', async () => {
    const token = `rejected${'Q'.repeat(1500)}`;
    const run = await runCli(connectionFlags({ token }), pinoOutput(30));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'logtank: 30 of 30 log entries were not delivered (unauthorized: 30)',
    );
    expectNoSecret(run, token.slice(0, 30));
    expect(emulator.records()).toHaveLength(0);
  });
});

describe('logtank CLI: signals', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s while stdin stays open, delivers what was read and exits',
    async (signal, code) => {
      const input = pinoOutput(50);
      // --tee shows when the CLI has read everything; the signal comes only then.
      const run = await runNode([cli, ...connectionFlags(), '--linger-ms', '60000', '--tee'], {
        input,
        signal: { name: signal, when: (stdout) => stdout.length >= input.length },
        timeoutMs: 20_000,
      });

      expect(run.code).toBe(code);
      expect(emulator.records()).toHaveLength(50);
    },
  );
});

describe('logtank CLI: usage', () => {
  it('prints help with examples', async () => {
    const run = await runCli(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('node app.js | logtank');
    expect(run.stdout).toContain('Examples');
    for (const flag of [
      '--endpoint',
      '--project-id',
      '--label',
      '--label-key',
      '--api',
      '--linger-ms',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('LTS_TOKEN');
  });

  it('prints its version', async () => {
    const run = await runCli(['--version']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['--bogus'], 'logtank: unknown flag --bogus'],
    [['--endpoint'], 'logtank: --endpoint needs a value'],
    [['--tee=yes'], 'logtank: --tee does not take a value'],
    [['stray'], 'logtank: unexpected argument'],
    [['--linger-ms', 'soon'], 'logtank: --linger-ms must be a number; got "soon"'],
    [['--label', 'novalue'], 'logtank: --label must be key=value'],
    [['--ca', '/nonexistent/ca.pem'], 'logtank: --ca must be a readable PEM file'],
  ])('rejects %j with exit code 2 and one clear line', async (args, message) => {
    const run = await runCli(args);

    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(emulator.requests()).toHaveLength(0);
  });

  it('names --endpoint and LTS_ENDPOINT when no endpoint is given', async () => {
    const run = await runCli(connectionFlags().slice(2));

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^logtank: --endpoint is required.*LTS_ENDPOINT/);
  });

  it('names the flag of an option that core rejects', async () => {
    const run = await runCli([...connectionFlags(), '--api', 'fastest']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^logtank: --api must be one of 'standard', 'high-accuracy'/);
  });

  it('never echoes the token, in option errors or in flag errors', async () => {
    const token = `secret${'S'.repeat(1500)}`;
    const badProject = [...connectionFlags({ token })];
    badProject[3] = 'not-a-project-id';
    const runs = await Promise.all([
      runCli(badProject),
      runCli([`--tokne=${token}`]),
      runCli(['--token', token, token]),
    ]);

    for (const run of runs) {
      expect(run.code).toBe(2);
      expectNoSecret(run, token.slice(0, 30));
    }
    expect(runs[0]?.stderr).toMatch(/^logtank: --project-id must be/);
  });
});
