import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '@logtank/emulator';
import {
  byTime,
  type ChildRun,
  emulatorTest,
  killChildren,
  runNode,
  runProcess,
} from '@logtank/test-support';
import pino from 'pino';
import { afterEach, describe, expect } from 'vitest';
import { messageOf, numberedMessages } from './helpers/records.ts';
import { truncationMarker } from './helpers/truncation-marker.ts';

// The `logtank` bin, spawned as `node dist/cli.mjs` with logs piped into stdin.

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
const longLine = fileURLToPath(new URL('./fixtures/long-line.mjs', import.meta.url));
const peakRss = fileURLToPath(new URL('./fixtures/peak-rss.cjs', import.meta.url));

// Checking tokens: only emulator.token is accepted, so a wrong one is refused (401).
emulatorTest.override({ emulatorOptions: { tokens: [] } });

afterEach(() => killChildren());

function runCli(args: readonly string[], input = '', env: Record<string, string> = {}) {
  return runNode([cli, ...args], { input, env, timeoutMs: 20_000 });
}

/** The connection flags for the emulator. */
function connectionFlags(emulator: Emulator, overrides: { token?: string } = {}): string[] {
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

/** The connection as the LTS_* variables. */
function connectionEnvironment(emulator: Emulator): Record<string, string> {
  const options = emulator.clientOptions();
  return {
    LTS_ENDPOINT: options.endpoint,
    LTS_PROJECT_ID: options.projectId,
    LTS_LOG_GROUP_ID: options.logGroupId,
    LTS_LOG_STREAM_ID: options.logStreamId,
    LTS_TOKEN: options.token,
  };
}

function expectNoSecret(run: ChildRun, secret: string): void {
  expect(run.stdout).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
}

describe('logtank CLI: shipping', () => {
  emulatorTest(
    'ships pino NDJSON from stdin with labels and exits 0 once stdin ends',
    async ({ emulator }) => {
      const input = pinoOutput(1000);
      const run = await runCli(
        [
          ...connectionFlags(emulator),
          '--label',
          'env=test',
          '--label-key',
          'level',
          '--linger-ms',
          '50',
        ],
        input,
      );

      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // One request carries one base time, so order is kept within each label set.
      const lines = input.trimEnd().split('\n');
      for (const level of ['warn', 'info']) {
        const records = byTime(emulator.records()).filter(
          (record) => record.labels.level === level,
        );
        expect(records.map((record) => record.content)).toEqual(
          lines.filter((line) => line.includes(`"level":${level === 'warn' ? 40 : 30}`)),
        );
        for (const record of records) expect(record.labels).toEqual({ env: 'test', level });
      }
      expect(emulator.records()).toHaveLength(1000);
    },
  );

  emulatorTest('ships plain text line by line, skipping blank lines', async ({ emulator }) => {
    const lines = Array.from({ length: 300 }, (_, index) => `plain line ${index} ünïcödé`);
    const input = `${lines.slice(0, 100).join('\n')}\n\n   \n${lines.slice(100).join('\r\n')}`;
    const run = await runCli(connectionFlags(emulator), input);

    expect(run.code).toBe(0);
    expect(byTime(emulator.records()).map((record) => record.content)).toEqual(lines);
  });

  emulatorTest('ships a mix of JSON and text, each line once', async ({ emulator }) => {
    const json = pinoOutput(50).trimEnd().split('\n');
    const mixed = json.flatMap((line, index) => [line, `text ${index}`]);
    const run = await runCli(connectionFlags(emulator), `${mixed.join('\n')}\n`);

    expect(run.code).toBe(0);
    expect(
      emulator
        .records()
        .map((record) => record.content)
        .sort(),
    ).toEqual([...mixed].sort());
  });

  emulatorTest('takes every connection option from the LTS_* environment', async ({ emulator }) => {
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

  emulatorTest('copies stdin to stdout with --tee', async ({ emulator }) => {
    const input = pinoOutput(20);
    const run = await runCli([...connectionFlags(emulator), '--tee'], input);

    expect(run.code).toBe(0);
    expect(run.stdout).toBe(input);
    expect(emulator.records()).toHaveLength(20);
  });

  emulatorTest(
    'exits 1 and says how many were dropped when LTS rejects the token, without echoing it',
    async ({ emulator }) => {
      const token = `rejected${'Q'.repeat(1500)}`;
      const run = await runCli(connectionFlags(emulator, { token }), pinoOutput(30));

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'logtank: 30 of 30 log entries were not delivered (unauthorized: 30)',
      );
      expectNoSecret(run, token.slice(0, 30));
      expect(emulator.records()).toHaveLength(0);
    },
  );
});

describe('logtank CLI: signals', () => {
  emulatorTest.for([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s while stdin stays open, delivers what was read and exits',
    async ([signal, code], { emulator }) => {
      const input = pinoOutput(50);
      // --tee shows when the CLI has read everything; the signal comes only then.
      const run = await runNode(
        [cli, ...connectionFlags(emulator), '--linger-ms', '60000', '--tee'],
        {
          input,
          signal: { name: signal, when: (stdout) => stdout.length >= input.length },
          timeoutMs: 20_000,
        },
      );

      expect(run.code).toBe(code);
      expect(emulator.records()).toHaveLength(50);
    },
  );
});

describe('logtank CLI: usage', () => {
  emulatorTest('prints help with examples', async () => {
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

  emulatorTest('prints its version', async () => {
    const run = await runCli(['--version']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  emulatorTest.for([
    [['--bogus'], 'logtank: unknown flag --bogus'],
    [['--lable', 'app=x'], 'logtank: unknown flag --lable (did you mean --label?)'],
    [['--endpoint'], 'logtank: --endpoint needs a value'],
    [['--tee=yes'], 'logtank: --tee does not take a value'],
    [['stray'], 'logtank: unexpected argument'],
    [['--linger-ms', 'soon'], 'logtank: --linger-ms must be a number; got "soon"'],
    [['--label', 'novalue'], 'logtank: --label must be key=value'],
    [['--ca', '/nonexistent/ca.pem'], 'logtank: --ca must be a readable PEM file'],
  ] as const)(
    'rejects %j with exit code 2 and one clear line',
    async ([args, message], { emulator }) => {
      const run = await runCli(args);

      expect(run.code).toBe(2);
      expect(run.stderr.startsWith(message)).toBe(true);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(emulator.requests()).toHaveLength(0);
    },
  );

  emulatorTest(
    'names --endpoint and LTS_ENDPOINT when no endpoint is given',
    async ({ emulator }) => {
      const run = await runCli(connectionFlags(emulator).slice(2));

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^logtank: --endpoint is required.*LTS_ENDPOINT/);
    },
  );

  emulatorTest('names the flag of an option that core rejects', async ({ emulator }) => {
    const run = await runCli([...connectionFlags(emulator), '--api', 'fastest']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^logtank: --api must be one of 'standard', 'high-accuracy'/);
  });

  emulatorTest(
    'never echoes the token, in option errors or in flag errors',
    async ({ emulator }) => {
      const token = `secret${'S'.repeat(1500)}`;
      const badProject = [...connectionFlags(emulator, { token })];
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
    },
  );
});

describe('logtank CLI: a line without end (--max-line-bytes)', () => {
  emulatorTest(
    'stays under 200 MB of memory while 200 MB arrive without a newline, ships the line cut, then the lines after it',
    async ({ emulator }) => {
      const directory = mkdtempSync(join(tmpdir(), 'logtank-cli-'));
      const rssFile = join(directory, 'peak-rss');
      try {
        // `node long-line.mjs | node -r peak-rss.cjs cli.mjs`: the 200 MB are streamed, never held.
        const run = await runProcess(
          '/bin/sh',
          ['-c', '"$NODE" "$LONG_LINE" | "$NODE" -r "$PEAK_RSS" "$CLI" --linger-ms 50'],
          {
            env: {
              ...connectionEnvironment(emulator),
              NODE: process.execPath,
              LONG_LINE: longLine,
              PEAK_RSS: peakRss,
              CLI: cli,
              LONG_LINE_BYTES: String(200 * 1024 * 1024),
              PEAK_RSS_FILE: rssFile,
            },
            timeoutMs: 60_000,
          },
        );

        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toContain('logtank: cut 1 line(s) longer than 1048576 bytes');
        // Before maxLineBytes the line alone took 1.1 GB.
        expect(Number(readFileSync(rssFile, 'utf8'))).toBeLessThan(200 * 1024 * 1024);
        const contents = byTime(emulator.records()).map((record) => record.content);
        const cut = contents.find((content) => content.startsWith('x'));
        expect(cut).toMatch(/^x+…\[truncated by logtank: \d+ bytes\]$/);
        expect(contents.filter((content) => content !== cut)).toEqual(['after 1', 'after 2']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  );

  emulatorTest(
    'cuts at --max-line-bytes with the line’s whole size, and says how many it cut',
    async ({ emulator }) => {
      const line = `{"msg":"${'m'.repeat(100_000)}"}`;
      const run = await runCli(
        [...connectionFlags(emulator), '--max-line-bytes', '4096'],
        `first\n${line}\r\nlast\n`,
      );

      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe(
        'logtank: cut 1 line(s) longer than 4096 bytes (--max-line-bytes); each ends with "…[truncated by logtank: <its size> bytes]"\n',
      );
      const contents = emulator.records().map((record) => record.content);
      expect(contents).toHaveLength(3);
      const cut = contents.find((content) => content.startsWith('{'));
      expect(cut?.endsWith(truncationMarker(line.length))).toBe(true);
      expect(line.startsWith(cut!.slice(0, -truncationMarker(line.length).length))).toBe(true);
      expect(Buffer.byteLength(cut!)).toBeLessThanOrEqual(4096);
      expect(contents).toEqual(expect.arrayContaining(['first', 'last']));
    },
  );
});

describe('logtank CLI: errors speak of flags and variables, never of client options', () => {
  /** Client option names a CLI user never typed. */
  const optionNames =
    /\b(projectId|logGroupId|logStreamId|tls\.ca|accessKeyProvider|tokenProvider|maxLineBytes|labelKeys)\b/;

  async function expectUsageError(
    emulator: Emulator,
    args: readonly string[],
    env: Record<string, string>,
    message: string,
  ): Promise<void> {
    const run = await runCli(args, '', env);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(`logtank: ${message}`), run.stderr).toBe(true);
    expect(run.stderr).not.toMatch(optionNames);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(emulator.requests()).toHaveLength(0);
  }

  emulatorTest('names the variable a bad value came from', async ({ emulator }) => {
    await expectUsageError(
      emulator,
      [],
      { ...connectionEnvironment(emulator), LTS_PROJECT_ID: 'short' },
      'LTS_PROJECT_ID must be the 32-character project id',
    );
    const { LTS_PROJECT_ID: _, ...withoutProject } = connectionEnvironment(emulator);
    await expectUsageError(
      emulator,
      [],
      { ...withoutProject, HUAWEICLOUD_SDK_PROJECT_ID: 'short' },
      'HUAWEICLOUD_SDK_PROJECT_ID must be the 32-character project id',
    );
    await expectUsageError(
      emulator,
      [],
      { ...connectionEnvironment(emulator), LTS_ENDPOINT: 'ftp://192.0.2.10:8102' },
      'LTS_ENDPOINT must use https: or http:',
    );
    await expectUsageError(
      emulator,
      [],
      { ...connectionEnvironment(emulator), LTS_LOG_STREAM_ID: 'x' },
      'LTS_LOG_STREAM_ID must be the 36-character log stream id',
    );
  });

  emulatorTest(
    'names the flag when the flag gave the value, even with the variable set',
    async ({ emulator }) => {
      await expectUsageError(
        emulator,
        ['--endpoint', 'ftp://192.0.2.10:8102'],
        connectionEnvironment(emulator),
        '--endpoint must use https: or http:',
      );
      await expectUsageError(
        emulator,
        ['--log-group-id', 'x'],
        connectionEnvironment(emulator),
        '--log-group-id must be the 36-character log group id',
      );
    },
  );

  emulatorTest(
    'names the flag for the transport’s own options and the label flags',
    async ({ emulator }) => {
      await expectUsageError(
        emulator,
        ['--max-line-bytes', '10'],
        connectionEnvironment(emulator),
        '--max-line-bytes must be a whole number of bytes from 1024 to 67108864; got 10',
      );
      await expectUsageError(
        emulator,
        ['--label-key', 'level', '--label-key', ''],
        connectionEnvironment(emulator),
        '--label-key must be a non-empty field name',
      );
    },
  );

  emulatorTest('speaks of the CA file, not of a tls.ca option', async ({ emulator }) => {
    const directory = mkdtempSync(join(tmpdir(), 'logtank-ca-'));
    const notPem = join(directory, 'ca.txt');
    writeFileSync(notPem, 'not a certificate\n');
    try {
      await expectUsageError(
        emulator,
        ['--ca', notPem],
        connectionEnvironment(emulator),
        `--ca must be a PEM certificate file (with a -----BEGIN CERTIFICATE----- line); ${notPem} has none`,
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  emulatorTest(
    'lists the credentials a command line can give when there is none',
    async ({ emulator }) => {
      const { LTS_TOKEN: _, ...withoutToken } = connectionEnvironment(emulator);
      await expectUsageError(
        emulator,
        [],
        withoutToken,
        'a credential is required: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (an access key), pass --ecs-metadata (the ECS/CCE instance agency keys) or set LTS_TOKEN',
      );
      await expectUsageError(
        emulator,
        [],
        { ...withoutToken, HUAWEICLOUD_SDK_AK: 'AKEXAMPLE' },
        'the access key (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK) needs both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK; HUAWEICLOUD_SDK_SK is not set',
      );
      await expectUsageError(
        emulator,
        ['--token', 'a-token', '--ecs-metadata'],
        withoutToken,
        '--token and --ecs-metadata are exclusive: give one credential',
      );
    },
  );
});
