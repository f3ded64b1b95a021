import { type Emulator, startEmulator } from '@logtank/emulator';
import * as lts4js from '@logtank/log4js';
import { ltsTransport } from '@logtank/pino';
import { LtsOptionsError, LtsTransport } from '@logtank/winston';
import log4js from 'log4js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killChildren, reportOf, runFixture } from './support/children.ts';
import { recordFigure, saveFigures } from './support/figures.ts';
import { type InProcessLogger, log4jsLogger, winstonLogger } from './support/in-process.ts';
import { iamPassword, secretToken, Transcript } from './support/secrets.ts';
import { checkSequences } from './support/sequence.ts';

// HTTPS verification, secrets kept out of everything the app can see, and
// option validation that refuses dangerous endpoints and ids.

const emulators: Emulator[] = [];
const loggers: InProcessLogger[] = [];
const transcript = new Transcript();

afterEach(async () => {
  killChildren();
  await Promise.all(loggers.splice(0).map((logger) => logger.end()));
  await Promise.all(emulators.splice(0).map((emulator) => emulator.stop()));
  expect(transcript.leaks()).toEqual([]);
  transcript.clear();
});

afterAll(() => saveFigures('security'));

async function emulatorWith(options: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emulator = await startEmulator(options);
  emulators.push(emulator);
  return emulator;
}

describe('HTTPS verification', () => {
  it('is on by default: a certificate from an unknown CA is refused with a clear error, nothing sent', async () => {
    const emulator = await emulatorWith({ tls: true, tokens: [secretToken] });
    const { tls: _trust, ...untrusted } = emulator.clientOptions({ token: secretToken });
    const logger = winstonLogger({ ...untrusted, lingerMs: 20, closeTimeoutMs: 3000 }, transcript);
    for (let sequence = 0; sequence < 20; sequence++) logger.log(sequence);
    await logger.end();

    expect(emulator.records()).toHaveLength(0);
    // The handshake failed: no request ever reached the server, so the token was never sent.
    expect(emulator.requests().filter((request) => request.route === 'report')).toHaveLength(0);
    expect(logger.errors.length).toBeGreaterThan(0);
    expect(logger.errors[0]!.message).toMatch(/certificate|self[- ]signed|verif/i);
    expect(logger.drops.map((event) => event.reason)).toContain('tls');
    expect(logger.stats()).toMatchObject({ sent: 20, delivered: 0, dropped: 20 });
    recordFigure({
      area: 'security',
      scenario: 'winston → HTTPS emulator, CA not given',
      amount: '20 records',
      outcome: `0 delivered, 0 requests reached the server; onError: "${logger.errors[0]!.message.slice(0, 120)}"; drops: ${logger.drops.map((event) => `${event.reason} ${event.count}`).join(', ')}`,
    });
  });

  it('delivers once the CA is given (log4js)', async () => {
    const emulator = await emulatorWith({ tls: true, tokens: [secretToken] });
    const logger = log4jsLogger(
      { ...emulator.clientOptions({ token: secretToken }), lingerMs: 20 },
      transcript,
    );
    for (let sequence = 0; sequence < 50; sequence++) logger.log(sequence);
    await logger.end();
    const check = checkSequences(
      emulator.records().map((record) => record.content),
      50,
    );
    expect(check).toEqual({ unique: 50, duplicates: 0, missing: [], strangers: [] });
    expect(logger.errors).toEqual([]);
    recordFigure({
      area: 'security',
      scenario: 'log4js → HTTPS emulator with tls.ca',
      amount: '50 records',
      outcome: `${check.unique}/50 delivered, no errors`,
    });
  });

  it('the insecure opt-out (rejectUnauthorized: false) delivers and warns once per process', async () => {
    const emulator = await emulatorWith({ tls: true, tokens: [secretToken] });
    const { tls: _trust, ...untrusted } = emulator.clientOptions({ token: secretToken });
    const run = await runFixture('insecure-tls.mjs', { fixture: { clientOptions: untrusted } });
    transcript.add(run.stdout);
    transcript.add(run.stderr);
    expect(run.code, run.stderr).toBe(0);
    const report = reportOf<{ sent: number; warnings: Array<{ code: string; message: string }> }>(
      run,
    );
    const insecure = report.warnings.filter((warning) => warning.code === 'LOGTANK_INSECURE_TLS');
    expect(insecure).toHaveLength(1);
    expect(insecure[0]!.message).toMatch(/rejectUnauthorized/);
    expect(emulator.records()).toHaveLength(report.sent);
    recordFigure({
      area: 'security',
      scenario: 'two winston transports with tls.rejectUnauthorized: false in one process',
      amount: `${report.sent} records`,
      outcome: `${emulator.records().length} delivered; ${insecure.length} LOGTANK_INSECURE_TLS warning`,
    });
  });
});

describe('secrets', () => {
  it('the token and IAM password never show in output, warnings, events or debug output of failing runs', async () => {
    // The token is refused (401) and the IAM password is wrong: the paths that talk about
    // credentials most. No callbacks: the adapters' own warnings and stderr lines run.
    const emulator = await emulatorWith({
      tokens: [],
      iam: { users: [{ domainName: 'acme', userName: 'shipper', password: 'the-right-one' }] },
    });
    const debug = { NODE_DEBUG: 'http,net,tls,undici,fetch' };
    const runs = [
      await runFixture('app.mjs', {
        fixture: {
          framework: 'winston',
          clientOptions: emulator.clientOptions({ token: secretToken }),
          options: { lingerMs: 20 },
          records: 200,
          callbacks: false,
        },
        env: debug,
      }),
      await runFixture('app.mjs', {
        fixture: {
          framework: 'log4js',
          clientOptions: emulator.clientOptions({ token: secretToken }),
          options: { lingerMs: 20 },
          records: 200,
          callbacks: false,
        },
        env: debug,
      }),
      await runFixture('app.mjs', {
        fixture: {
          framework: 'pino',
          clientOptions: (({ token: _token, ...rest }) => rest)(emulator.clientOptions()),
          options: {
            lingerMs: 20,
            iam: {
              endpoint: emulator.url,
              domainName: 'acme',
              userName: 'shipper',
              password: iamPassword,
            },
          },
          records: 200,
        },
        env: debug,
      }),
    ];
    for (const run of runs) {
      transcript.add(run.stdout);
      transcript.add(run.stderr);
      expect(run.code, run.stderr.slice(-2000)).toBe(0);
      // The failure really happened and was reported.
      expect(run.stderr).toMatch(/unauthorized|401/i);
    }
    expect(emulator.records()).toHaveLength(0);
    // Thrown errors: a token that cannot go in a header is refused without being echoed.
    for (const badToken of [`${secretToken}\n`, ` ${secretToken}`]) {
      const error = captureThrow(
        () => new LtsTransport({ ...emulator.clientOptions(), token: badToken }),
      );
      expect(error).toBeInstanceOf(LtsOptionsError);
      transcript.add(error);
    }
    expect(transcript.leaks()).toEqual([]);
    recordFigure({
      area: 'security',
      scenario:
        'secret scan: 401 with a static token (winston, log4js: default warnings), wrong IAM password (pino worker), NODE_DEBUG=http,net,tls,undici,fetch; bad-token option errors',
      amount: `${runs.length} child runs, ${transcript.bytes} characters of stdout/stderr/errors`,
      outcome: '0 occurrences of the token, the IAM password or a credential header',
    });
  });
});

function captureThrow(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Builds a logger of each adapter with these options; resolves to what it threw (or undefined). */
async function rejectionByEachAdapter(
  options: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const winstonError = captureThrow(() => new LtsTransport(options));
  const log4jsError = captureThrow(() =>
    log4js.configure({
      appenders: { lts: { type: lts4js, ...options } },
      categories: { default: { appenders: ['lts'], level: 'info' } },
    }),
  );
  let pinoError: unknown;
  try {
    const stream = await ltsTransport(options);
    stream.end();
  } catch (error) {
    pinoError = error;
  }
  return { winston: winstonError, log4js: log4jsError, pino: pinoError };
}

describe('option validation', () => {
  const base = {
    endpoint: 'https://127.0.0.1:8102',
    projectId: '2a473356cca5487f8373be891bffc1cf',
    logGroupId: '7f1e52d4-6a3b-4c1e-9d0f-5b2a8c3e1f40',
    logStreamId: 'c3d9a8b2-0e7f-4a61-b5c4-92d1e6f03a7b',
    token: secretToken,
  };
  const cases: Array<{
    name: string;
    field: string;
    options: Record<string, unknown>;
    secret?: string;
  }> = [
    {
      name: 'credentials in the endpoint',
      field: 'endpoint',
      options: { endpoint: 'https://shipper:Hunter2-in-url@127.0.0.1:8102' },
      secret: 'Hunter2-in-url',
    },
    {
      name: 'dot segments in the endpoint path',
      field: 'endpoint',
      options: { endpoint: 'https://127.0.0.1:8102/lts/../../admin' },
    },
    {
      name: 'encoded traversal in the endpoint path',
      field: 'endpoint',
      options: { endpoint: 'https://127.0.0.1:8102/a/%2e%2E/b' },
    },
    {
      name: 'an encoded slash in the endpoint path',
      field: 'endpoint',
      options: { endpoint: 'https://127.0.0.1:8102/a%2Fb' },
    },
    {
      name: 'a backslash in the endpoint path',
      field: 'endpoint',
      options: { endpoint: 'https://127.0.0.1:8102/a\\..\\b' },
    },
    {
      name: 'a query string carrying a token',
      field: 'endpoint',
      options: { endpoint: 'https://127.0.0.1:8102/?token=abc' },
    },
    { name: 'a non-http scheme', field: 'endpoint', options: { endpoint: 'file:///etc/passwd' } },
    {
      name: 'a project id with traversal',
      field: 'projectId',
      options: { projectId: '../../../../../../../../../etc/pa' },
    },
    {
      name: 'a project id of the wrong length',
      field: 'projectId',
      options: { projectId: '2a473356cca5487f' },
    },
    {
      name: 'a log group id with a slash',
      field: 'logGroupId',
      options: { logGroupId: '7f1e52d4/6a3b-4c1e-9d0f-5b2a8c3e1f40' },
    },
    {
      name: 'a log stream id with traversal',
      field: 'logStreamId',
      options: { logStreamId: '../c3d9a8b2-0e7f-4a61-b5c4-92d1e6f0' },
    },
    {
      name: 'a log stream id with an encoded slash',
      field: 'logStreamId',
      options: { logStreamId: 'c3d9a8b2%2F7f-4a61-b5c4-92d1e6f03a7b' },
    },
    {
      name: 'a log stream id with a trailing newline',
      field: 'logStreamId',
      options: { logStreamId: 'c3d9a8b2-0e7f-4a61-b5c4-92d1e6f03a7\n' },
    },
    {
      name: 'credentials in the IAM endpoint',
      field: 'iam.endpoint',
      options: {
        token: undefined,
        iam: {
          endpoint: 'https://u:Iam-url-secret@127.0.0.1',
          domainName: 'a',
          userName: 'b',
          password: iamPassword,
        },
      },
      secret: 'Iam-url-secret',
    },
  ];

  it.each(cases)(
    'rejects $name, naming $field, in every adapter',
    async ({ field, options, secret }) => {
      const errors = await rejectionByEachAdapter({ ...base, ...options });
      for (const [adapter, error] of Object.entries(errors)) {
        expect(error, `${adapter} accepted it`).toBeInstanceOf(LtsOptionsError);
        expect((error as LtsOptionsError).option, adapter).toBe(field);
        expect((error as Error).message, adapter).toContain(field);
        transcript.add(error);
        if (secret !== undefined) expect((error as Error).message).not.toContain(secret);
      }
    },
  );

  it('accepts the same base options (the cases above fail only for their own field)', async () => {
    const errors = await rejectionByEachAdapter(base);
    expect(errors).toEqual({ winston: undefined, log4js: undefined, pino: undefined });
    await new Promise<void>((resolve) => log4js.shutdown(() => resolve()));
    recordFigure({
      area: 'security',
      scenario:
        'option validation through the winston constructor, log4js.configure and pino ltsTransport()',
      amount: `${cases.length} bad option sets × 3 adapters`,
      outcome: `all ${cases.length * 3} refused with LtsOptionsError naming the field; credentials in URLs not echoed; the valid base accepted by all 3`,
    });
  });
});
