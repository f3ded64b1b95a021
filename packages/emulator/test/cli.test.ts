import { existsSync, readFileSync } from 'node:fs';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, startCli } from './cli-process.ts';
import { httpsRequest } from './https-request.ts';
import { jsonContentType, reportPath, standardBody } from './report-request.ts';

afterEach(async () => {
  await killAll();
});

/** The banner ends with the records URL; read the endpoint and the LTS_* variables from it. */
async function started(args: string[]) {
  const cli = startCli(['--port', '0', ...args]);
  await cli.waitForOutput(/Stored records: \S+\/_emulator\/records/);
  const { stdout } = cli.output();
  const url = stdout.match(/listening on (\S+)/)![1]!;
  const environment = Object.fromEntries(
    [...stdout.matchAll(/\b(LTS_[A-Z_]+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]),
  );
  return { cli, url, environment, banner: stdout };
}

function reportTo(
  url: string,
  environment: Record<string, string>,
  token: string,
  contents: string[],
) {
  const ids = {
    projectId: environment.LTS_PROJECT_ID!,
    logGroupId: environment.LTS_LOG_GROUP_ID!,
    logStreamId: environment.LTS_LOG_STREAM_ID!,
  };
  return fetch(`${url}${reportPath(ids)}`, {
    method: 'POST',
    headers: { 'x-auth-token': token, 'content-type': jsonContentType },
    body: standardBody(contents, { labels: { from: 'cli-test' } }),
  });
}

describe('logtank-emulator', () => {
  it('prints its URL, ids and env vars, accepts a batch and logs one compact line for it', async () => {
    const { cli, url, environment, banner } = await started([]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(environment).toEqual({
      LTS_ENDPOINT: url,
      LTS_PROJECT_ID: expect.stringMatching(/^[0-9a-f]{32}$/),
      LTS_LOG_GROUP_ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      LTS_LOG_STREAM_ID: expect.stringMatching(/^[0-9a-f-]{36}$/),
      LTS_TOKEN: 'any-token-works',
    });
    const options = JSON.parse(banner.match(/Transport options:\n(\{[\s\S]*?\n\})/)![1]!);
    expect(options).toEqual({
      endpoint: url,
      projectId: environment.LTS_PROJECT_ID,
      logGroupId: environment.LTS_LOG_GROUP_ID,
      logStreamId: environment.LTS_LOG_STREAM_ID,
      token: 'any-token-works',
    });

    expect(banner).toContain(`Console: ${url}/ `);
    const page = await fetch(`${url}/`);
    expect([page.status, page.headers.get('content-type')]).toEqual([
      200,
      'text/html; charset=utf-8',
    ]);
    expect(await page.text()).toContain('aria-label="Records"');

    const token = `MII${'t'.repeat(1200)}`;
    const response = await reportTo(url, environment, token, ['one', 'two', 'three']);
    expect(response.status).toBe(200);
    const [line] = await cli.waitForOutput(/^.*POST \/v2\/.* 200 3 records \d+ B .*ms$/m);
    expect(line).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} POST \/v2\/[0-9a-f]{6}…\/groups\/[0-9a-f-]{6}…\/streams\/[0-9a-f-]{6}…\/contents 200 3 records \d+ B \d+\.\dms$/,
    );
    expect(cli.output().stdout).not.toContain(token.slice(0, 30));

    const records = (await (await fetch(`${url}/_emulator/records`)).json()) as Array<{
      content: string;
      labels: Record<string, string>;
    }>;
    expect(records.map((record) => [record.content, record.labels])).toEqual([
      ['one', { from: 'cli-test' }],
      ['two', { from: 'cli-test' }],
      ['three', { from: 'cli-test' }],
    ]);

    cli.child.kill('SIGTERM');
    const exit = await cli.exited;
    expect(exit.code).toBe(0);
    // The console's own requests are not logged.
    expect(exit.stdout).not.toMatch(/ GET \/ 200/);
  });

  it('logs refusals with their reason and faults with their kind', async () => {
    const { cli, url, environment } = await started([]);
    await reportTo(url, environment, '', ['x']);
    await cli.waitForOutput(/ 401 0 records \d+ B [\d.]+ms X-Auth-Token is missing\.$/m);
    await fetch(`${url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ enqueue: [{ status: 503 }] }),
    });
    await reportTo(url, environment, 'token', ['y']);
    await cli.waitForOutput(/ 503 0 records \d+ B [\d.]+ms \[status 503\]$/m);
  });

  it('with --quiet logs no request lines', async () => {
    const { cli, url, environment } = await started(['--quiet']);
    expect((await reportTo(url, environment, 'token', ['quiet'])).status).toBe(200);
    await fetch(`${url}/_emulator/records`);
    expect(cli.output().stdout).not.toMatch(/POST \/v2/);
  });

  it('--token T accepts only T and never prints it', async () => {
    const secret = `MII${'s'.repeat(1500)}`;
    const { cli, url, environment, banner } = await started(['--token', secret]);
    expect(banner).toContain('Only the tokens given with --token are accepted.');
    expect(banner).toContain('LTS_TOKEN=<your --token value>');
    expect(banner).toContain('"token": "<your --token value>"');
    expect((await reportTo(url, environment, secret, ['accepted'])).status).toBe(200);
    expect((await reportTo(url, environment, `${secret}x`, ['refused'])).status).toBe(401);
    await cli.waitForOutput(/ 401 .*The token is invalid\.$/m);
    expect(cli.output().stdout).not.toContain(secret.slice(0, 30));
  });

  it('--tls serves HTTPS and writes its CA to a file a client can trust, removed when it stops', async () => {
    const { cli, url, environment, banner } = await started(['--tls', '--host', '127.0.0.1']);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const caPath = banner.match(/HTTPS certificate authority: (\S+)/)![1]!;
    const ca = readFileSync(caPath, 'utf8');
    // The options block is JSON a user can paste (found by a new user: it held readFileSync(…)).
    const options = JSON.parse(banner.match(/Transport options:\n(\{[\s\S]*?\n\})/)![1]!);
    expect(options).toEqual({
      endpoint: url,
      projectId: environment.LTS_PROJECT_ID,
      logGroupId: environment.LTS_LOG_GROUP_ID,
      logStreamId: environment.LTS_LOG_STREAM_ID,
      token: 'any-token-works',
      tls: { ca },
    });
    const answer = await httpsRequest(
      `${url}${reportPath({
        projectId: environment.LTS_PROJECT_ID!,
        logGroupId: environment.LTS_LOG_GROUP_ID!,
        logStreamId: environment.LTS_LOG_STREAM_ID!,
      })}`,
      {
        ca,
        method: 'POST',
        headers: { 'x-auth-token': 'token', 'content-type': jsonContentType },
        body: standardBody(['secure']),
      },
    );
    expect(answer.status).toBe(200);
    await expect(httpsRequest(`${url}/_emulator/health`, {})).rejects.toThrow(/certificate/);
    // The environment lines carry it for whole processes (pino's worker, log4js JSON configs).
    expect(banner).toContain(`NODE_EXTRA_CA_CERTS=${caPath}`);
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
    expect(existsSync(caPath)).toBe(false);
  });

  it('the README shows the banner as printed: no version of its own, the options as valid JSON', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const banner = readme.match(/```\n(logtank-emulator .* listening on [\s\S]*?)```/)![1]!;
    const printed = (await startCli(['--version']).exited).stdout.trim();
    // Found by a new user: the README's banner said 0.1.0 while the package was 0.0.0.
    const shown = banner.match(/^logtank-emulator (\S+) listening on/)![1]!;
    expect([printed, '<version>']).toContain(shown);
    expect(() =>
      JSON.parse(banner.match(/Transport options:\n(\{[\s\S]*?\n\})/)![1]!),
    ).not.toThrow();
    // The HTTPS variant the README quotes is JSON too.
    const tls = readme.match(/\(`("tls": \{ "ca": "-----BEGIN CERTIFICATE-----[^`]*)`\)/)![1]!;
    expect(JSON.parse(`{${tls}}`).tls.ca).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it('--help prints usage and exits 0; --version prints the version', async () => {
    const help = await startCli(['--help']).exited;
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^logtank-emulator .*\n\nUsage: logtank-emulator \[options\]/);
    for (const flag of ['--port', '--host', '--tls', '--token'])
      expect(help.stdout).toContain(flag);
    const version = await startCli(['-v']).exited;
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['--bogus'], /unknown option --bogus\n/],
    [['--port', 'eighty'], /--port must be an integer >= 0; got "eighty"/],
    [['--port=-1'], /--port must be an integer >= 0; got "-1"/],
    [['--port', '70000'], /logtank-emulator: --port must be an integer from 0 to 65535/],
    [['--max-body-bytes', '0'], /--max-body-bytes must be an integer >= 1/],
    [['stray'], /Unexpected argument 'stray'/],
  ])('refuses %j with a clear error and exit code 2', async (args, message) => {
    const exit = await startCli(args).exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(message);
    expect(exit.stderr).toContain('Run logtank-emulator --help for the options.');
    expect(exit.stdout).toBe('');
  });

  describe('when the port is taken', () => {
    let blocker: Emulator | undefined;
    afterEach(async () => {
      await blocker?.stop();
    });

    it('says so, naming host:port, with a hint about --port rather than --help, and exits 2', async () => {
      blocker = await startEmulator();
      const port = new URL(blocker.url).port;
      const exit = await startCli(['--port', port]).exited;
      expect(exit.code).toBe(2);
      expect(exit.stderr).toBe(
        `logtank-emulator: cannot listen on 127.0.0.1:${port}: the port is already in use by another process (EADDRINUSE)\n` +
          'Stop the other process, or pick another --port (--port 0: any free port).\n',
      );
    });
  });
});
