import type { Emulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { bannerTarget, killAll, startCli } from './cli-process.ts';
import { type SigningKey, signedReport } from './signed-request.ts';

afterEach(async () => {
  await killAll();
});

/** Starts the CLI and reads what a client needs from its banner. */
async function started(args: string[]) {
  const cli = startCli(['--port', '0', ...args]);
  await cli.waitForOutput(/Stored records: \S+\/_emulator\/records/);
  const banner = cli.output().stdout;
  // The signing helper needs only these members of an Emulator handle.
  const target = bannerTarget(banner) as unknown as Emulator;
  return { cli, banner, target };
}

describe('logtank-emulator and AK/SK', () => {
  it('--access-key ID:SECRET is accepted and its secret never printed; --region sets the V11 region', async () => {
    const key: SigningKey = {
      id: 'CLIKEY0000000000TEST',
      secret: 'cli-secret:with-a-colon-0123456789abcdef',
    };
    const { cli, banner, target } = await started([
      '--access-key',
      `${key.id}:${key.secret}`,
      '--region',
      'eu-west-101',
    ]);
    expect(banner).toContain(`the --access-key keys ${key.id} (secrets not shown)`);
    expect(banner).toMatch(/region eu-west-101/);
    expect(target.region).toBe('eu-west-101');
    expect((await signedReport(target, { accessKey: key })).status).toBe(200);
    expect((await signedReport(target, { api: 'batch', accessKey: key })).status).toBe(200);
    const otherRegion = await signedReport(target, {
      api: 'batch',
      accessKey: key,
      region: 'cn-north-4',
    });
    expect(otherRegion.status).toBe(401);
    const wrong = await signedReport(target, { accessKey: key, signingSecret: 'z'.repeat(40) });
    expect(wrong.status).toBe(401);
    await cli.waitForOutput(/ 401 .*SDK-HMAC-SHA256 CLIK\*\*\*\*.*verify aksk signature fail$/m);
    await cli.waitForOutput(/batch-contents 200 1 records .*V11-HMAC-SHA256 CLIK\*\*\*\*$/m);
    const { stdout, stderr } = cli.output();
    expect(stdout + stderr).not.toContain(key.secret);
    expect(stdout + stderr).not.toContain(key.secret.slice(11));
  });

  it('prints the sample key it generated, which signs requests', async () => {
    const { banner, target } = await started([]);
    expect(banner).toMatch(/HUAWEICLOUD_SDK_AK=[A-Z0-9]{20} HUAWEICLOUD_SDK_SK=\S{40} /);
    expect(target.region).toBe('cn-north-4');
    expect((await signedReport(target)).status).toBe(200);
  });

  it('--metadata starts the metadata stand-in and prints its URL', async () => {
    const { banner } = await started(['--metadata', '--quiet']);
    const url = banner.match(
      /ECS metadata stand-in \(for http:\/\/169\.254\.169\.254\): (\S+)/,
    )![1]!;
    const token = await fetch(`${url}/meta-data/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-metadata-token-ttl-seconds': '60' },
    });
    expect(token.status).toBe(200);
    const key = await fetch(`${url}/openstack/latest/securitykey`, {
      headers: { 'x-metadata-token': await token.text() },
    });
    expect(key.status).toBe(200);
  });

  it.each([
    [['--access-key', 'no-colon-secret-value'], /--access-key must be ID:SECRET/],
    [['--access-key', 'bad id!:hidden-secret-value'], /accessKeys\[0\]\.id must be/],
    [['--region', 'cn/north'], /--region must be a region id/],
  ])('refuses %j with exit code 2 without echoing a secret', async (args, message) => {
    const exit = await startCli(args).exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(message);
    expect(exit.stderr).not.toContain('secret-value');
  });
});
