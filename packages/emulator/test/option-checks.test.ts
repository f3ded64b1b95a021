import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, startCli } from './cli-process.ts';
import { httpsRequest } from './https-request.ts';
import { ownCertificate } from './own-certificate.ts';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
  await killAll();
});

/** Why startEmulator refused these options (it must refuse them). */
async function refusal(options: unknown): Promise<string> {
  try {
    emulator = await startEmulator(options as EmulatorOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error(`startEmulator accepted ${JSON.stringify(options)}`);
}

const secret = 'do-not-echo-this-secret-0123456789abcdef';

describe('startEmulator option checks (found by a new user)', () => {
  it('refuses an empty token, naming tokens[i], and a string where a list belongs', async () => {
    expect(await refusal({ tokens: [''] })).toBe(
      'startEmulator: option tokens[0] must be a non-empty token; got an empty string.',
    );
    expect(await refusal({ tokens: ['MIIgood', { token: '' }] })).toMatch(
      /^startEmulator: option tokens\[1\]\.token must be a non-empty string; got an empty string\.$/,
    );
    expect(await refusal({ tokens: [{ token: 'MIIx', maxRequests: -1 }] })).toMatch(
      /option tokens\[0\]\.maxRequests must be an integer >= 0/,
    );
    // A string is iterable: it would have been taken as one token per character.
    expect(await refusal({ tokens: 'MIIabc' })).toMatch(
      /option tokens must be an array of tokens; got a string\./,
    );
  });

  it('refuses an unknown field inside an access key, naming it and suggesting the right one, never the secret', async () => {
    const id = 'TESTAK0123456789ABCD';
    const extra = await refusal({ accessKeys: [{ id, secret, extra: 1 }] });
    expect(extra).toBe(
      'startEmulator: unknown option accessKeys[0].extra; the options of accessKeys[0] are id, secret.',
    );
    const misspelt = await refusal({
      accessKeys: [
        { id, secret },
        { id, secrett: secret },
      ],
    });
    expect(misspelt).toMatch(
      /^startEmulator: unknown option accessKeys\[1\]\.secrett \(did you mean accessKeys\[1\]\.secret\?\)/,
    );
    expect(await refusal({ accessKeys: [1] })).toMatch(
      /option accessKeys\[0\] must be an access key \{ id, secret \}; got a number\./,
    );
    for (const message of [extra, misspelt]) expect(message).not.toContain(secret);
  });

  it('refuses tls key and cert that are not PEM, or do not match, naming the field and never the key', async () => {
    const own = await ownCertificate();
    const other = await ownCertificate();
    const notPem = await refusal({ tls: { key: secret, cert: own.cert } });
    expect(notPem).toMatch(
      /^startEmulator: option tls\.key must be a PEM private key \("-----BEGIN PRIVATE KEY-----"…\), as a string or a Buffer; got a string without such a PEM block\.$/,
    );
    expect(await refusal({ tls: { key: 'x' } })).toMatch(/^startEmulator: option tls\.key must be/);
    expect(await refusal({ tls: { key: own.private } })).toMatch(
      /^startEmulator: option tls\.cert must be a PEM certificate \("-----BEGIN CERTIFICATE-----"…\), as a string or a Buffer; got undefined\.$/,
    );
    expect(await refusal({ tls: { key: './server-key.pem', cert: own.cert } })).toMatch(
      /tls\.key must be .*\(a file path\? pass the file's contents, e\.g\. readFileSync\(path\)\)/,
    );
    const mismatch = await refusal({ tls: { key: other.private, cert: own.cert } });
    expect(mismatch).toBe(
      'startEmulator: option tls.key is not the private key of the certificate in tls.cert.',
    );
    expect(await refusal({ tls: { key: own.private, cert: own.cert, cert2: own.cert } })).toMatch(
      /unknown option tls\.cert2 \(did you mean tls\.cert\?\)/,
    );
    for (const message of [notPem, mismatch]) {
      expect(message).not.toContain(secret);
      expect(message).not.toContain('PRIVATE KEY-----\n');
      expect(message).not.toMatch(/error:[0-9A-F]{8}|routines/);
    }

    // PEM in Buffers (readFileSync without an encoding) is accepted.
    emulator = await startEmulator({
      tls: {
        key: Buffer.from(own.private),
        cert: Buffer.from(own.cert),
        ca: Buffer.from(own.cert),
      },
    });
    expect(emulator.ca).toBe(own.cert);
    const answer = await httpsRequest(`${emulator.url}/_emulator/health`, { ca: own.cert });
    expect(answer.status).toBe(200);
  });

  it.each([
    [{ metdata: true }, 'metdata (did you mean metadata?)'],
    [{ accesKeys: [] }, 'accesKeys (did you mean accessKeys?)'],
    [{ Port: 0 }, 'Port (did you mean port?)'],
    [{ metadata: { agnecy: false } }, 'metadata.agnecy (did you mean metadata.agency?)'],
    [{ iam: { user: [] } }, 'iam.user (did you mean iam.users?)'],
    [
      { iam: { users: [{ domainName: 'd', userName: 'u', pasword: secret }] } },
      'iam.users[0].pasword (did you mean iam.users[0].password?)',
    ],
    [{ tokens: [{ tokn: 'MIIx' }] }, 'tokens[0].tokn (did you mean tokens[0].token?)'],
  ])('suggests the option meant for a mistyped name at every level: %j', async (options, named) => {
    const message = await refusal(options);
    expect(message).toContain(`startEmulator: unknown option ${named}; the options`);
    expect(message).not.toContain(secret);
  });

  it('refuses values of the wrong kind, saying what it got with the right article', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ store: 'no' }, /option store must be true or false; got a string\.$/],
      [{ metadata: 'yes' }, /option metadata must be true, false or an object .*; got a string\.$/],
      [{ iam: [] }, /option iam must be an object .*; got an array\.$/],
      [{ onRequest: {} }, /option onRequest must be a function; got an object\.$/],
      [{ now: 1 }, /option now must be a function; got a number\.$/],
      [{ timeWindowNs: 1000 }, /option timeWindowNs must be a bigint .*; got a number\.$/],
      [{ port: 70_000 }, /option port must be an integer from 0 to 65535 .*; got 70000\.$/],
      [{ host: '' }, /option host must be an address .*; got an empty string\.$/],
      [{ tls: 'yes' }, /option tls must be true .*; got a string\.$/],
      [
        { iam: { users: [{ domainName: 'd', userName: 'u' }] } },
        /password must be a non-empty string; got undefined\.$/,
      ],
      [{ accessKeys: [undefined] }, /accessKeys\[0\] must be an access key .*; got undefined\.$/],
    ];
    for (const [options, expected] of cases) {
      const message = await refusal(options);
      expect(message).toMatch(expected);
      // "a object", "a accessKey", "an string": none.
      expect(message).not.toMatch(/\ba [aeiou]|\ban [b-df-hj-np-tv-z]/i);
    }
  });
});

describe('a port that is taken', () => {
  let blocker: Emulator | undefined;
  afterEach(async () => {
    await blocker?.stop();
  });

  it('startEmulator() names host:port and what to do, and says nothing of the CLI', async () => {
    blocker = await startEmulator();
    const port = Number(new URL(blocker.url).port);
    const error = (await startEmulator({ port }).then(
      () => undefined,
      (failure: unknown) => failure,
    )) as NodeJS.ErrnoException | undefined;
    expect(error?.message).toBe(
      `startEmulator: cannot listen on 127.0.0.1:${port}: the port is already in use by another process; choose another port, or 0 for any free port (EADDRINUSE).`,
    );
    expect(error?.code).toBe('EADDRINUSE');
    expect(error?.message).not.toMatch(/logtank-emulator|--help|--port/);
  });
});

describe('logtank-emulator flag checks', () => {
  it.each([
    [['--metdata'], 'unknown option --metdata (did you mean --metadata?)'],
    [['--acces-key', 'AK:SK'], 'unknown option --acces-key (did you mean --access-key?)'],
    [['--max-body-byte', '10'], 'unknown option --max-body-byte (did you mean --max-body-bytes?)'],
    [['--token', ''], '--token must not be empty'],
  ])('refuses %j with a suggestion', async (args, message) => {
    const exit = await startCli(args).exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe(
      `logtank-emulator: ${message}\nRun logtank-emulator --help for the options.\n`,
    );
  });
});
