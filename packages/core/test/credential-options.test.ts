import { describe, expect, it } from 'vitest';
import { LtsClient, LtsOptionsError } from '../src/index.ts';
import { resolveOptions } from '../src/options.ts';

const ids = {
  projectId: '0123456789abcdef0123456789abcdef',
  logGroupId: '01234567-89ab-cdef-0123-456789abcdef',
  logStreamId: 'fedcba98-7654-3210-fedc-ba9876543210',
};
const endpoint = 'https://192.0.2.10:8102';
const sk = 'Sk3cretSk3cretSk3cretSk3cretSk3cretSk3c';
const securityToken = `gQpjbi1ub3J0aC00${'Q'.repeat(900)}`;

function failure(options: unknown, environment: NodeJS.ProcessEnv = {}): LtsOptionsError {
  try {
    resolveOptions(options as never, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(LtsOptionsError);
    const message = (error as Error).message;
    for (const secret of [sk, securityToken]) expect(message).not.toContain(secret);
    return error as LtsOptionsError;
  }
  throw new Error('expected the options to be refused');
}

describe('credential options', () => {
  it('takes an access key, permanent or temporary', () => {
    const permanent = resolveOptions(
      { endpoint, ...ids, accessKey: { id: 'AKIDEXAMPLE00000000', secret: sk } },
      {},
    );
    expect(permanent.credentials).toEqual({
      kind: 'access-key',
      key: { id: 'AKIDEXAMPLE00000000', secret: sk },
    });
    const temporary = resolveOptions(
      { endpoint, ...ids, accessKey: { id: 'AKIDEXAMPLE00000000', secret: sk, securityToken } },
      {},
    );
    expect(temporary.credentials).toMatchObject({ key: { securityToken } });
  });

  it('reads HUAWEICLOUD_SDK_* variables when no credential option and no LTS_TOKEN is given', () => {
    const environment = {
      HUAWEICLOUD_SDK_AK: 'AKIDEXAMPLE00000000',
      HUAWEICLOUD_SDK_SK: sk,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: securityToken,
      HUAWEICLOUD_SDK_PROJECT_ID: ids.projectId,
      HUAWEICLOUD_SDK_REGION: 'cn-north-4',
    };
    const resolved = resolveOptions(
      { endpoint, logGroupId: ids.logGroupId, logStreamId: ids.logStreamId },
      environment,
    );
    expect(resolved.credentials).toEqual({
      kind: 'access-key',
      key: { id: 'AKIDEXAMPLE00000000', secret: sk, securityToken },
    });
    expect(resolved.projectId).toBe(ids.projectId);
    expect(resolved.region).toBe('cn-north-4');
    // LTS_TOKEN and LTS_PROJECT_ID come first; options before both.
    const withToken = resolveOptions(
      { endpoint, logGroupId: ids.logGroupId, logStreamId: ids.logStreamId },
      { ...environment, LTS_TOKEN: 'token-from-env', LTS_PROJECT_ID: 'f'.repeat(32) },
    );
    expect(withToken.credentials).toEqual({
      kind: 'static',
      token: 'token-from-env',
      shadows: 'HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK',
    });
    expect(withToken.projectId).toBe('f'.repeat(32));
    const withOption = resolveOptions(
      { endpoint, ...ids, ecsMetadata: true, region: 'ap-southeast-1' },
      environment,
    );
    expect(withOption.credentials).toMatchObject({ kind: 'ecs-metadata' });
    expect(withOption.region).toBe('ap-southeast-1');
  });

  it('says once, when LTS_TOKEN wins over an access key in the environment, how to sign instead', async () => {
    const warnings: Array<{ code?: string; message: string }> = [];
    const listener = (warning: Error & { code?: string }) => warnings.push(warning);
    process.on('warning', listener);
    const saved = { ...process.env };
    Object.assign(process.env, {
      LTS_TOKEN: 'token-from-env',
      HUAWEICLOUD_SDK_AK: 'AKIDEXAMPLE00000000',
      HUAWEICLOUD_SDK_SK: sk,
    });
    try {
      for (let index = 0; index < 2; index++) {
        await new LtsClient({ endpoint, ...ids }).close({ timeoutMs: 10 });
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.env = saved;
      process.off('warning', listener);
    }
    const said = warnings.filter((warning) => warning.code === 'LOGTANK_CREDENTIALS');
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(
      /LTS_TOKEN and HUAWEICLOUD_SDK_AK\/HUAWEICLOUD_SDK_SK are both set/,
    );
    expect(said[0]!.message).not.toContain(sk);
  });

  it('uses the metadata address unless told otherwise', () => {
    const standard = resolveOptions({ endpoint, ...ids, ecsMetadata: true }, {});
    if (standard.credentials.kind !== 'ecs-metadata') throw new Error('expected ecs-metadata');
    expect(standard.credentials.endpoint.href).toBe('http://169.254.169.254/');
    const local = resolveOptions(
      { endpoint, ...ids, ecsMetadata: { endpoint: 'http://127.0.0.1:9999' } },
      {},
    );
    if (local.credentials.kind !== 'ecs-metadata') throw new Error('expected ecs-metadata');
    expect(local.credentials.endpoint.href).toBe('http://127.0.0.1:9999/');
  });

  it('builds the producer route for api batch', () => {
    const resolved = resolveOptions(
      {
        endpoint: `${endpoint}/base`,
        ...ids,
        api: 'batch',
        region: 'cn-north-4',
        accessKey: { id: 'AKIDEXAMPLE00000000', secret: sk },
        compression: 'gzip',
      },
      {},
    );
    expect(resolved.reportPath).toBe(
      `/base/v2/internal/${ids.projectId}/lts/groups/${ids.logGroupId}/streams/${ids.logStreamId}/tenant/batch-contents`,
    );
  });

  const key = { id: 'AKIDEXAMPLE00000000', secret: sk };
  it.each([
    [{ token: 't', accessKey: key }, 'token and accessKey', /exclusive/],
    [
      { ecsMetadata: true, accessKeyProvider: () => key },
      'accessKeyProvider and ecsMetadata',
      /exclusive/,
    ],
    [{ accessKey: { id: 'AK' } }, 'accessKey.secret', /non-empty string; got undefined/],
    [{ accessKey: { id: 'AK', secret: `${sk} ` } }, 'accessKey.secret', /spaces/],
    [
      { accessKey: { id: 'AK', secret: sk, securityToken: `${securityToken}\n` } },
      'accessKey.securityToken',
      /line breaks/,
    ],
    [
      { accessKey: { id: 'AK', secret: sk, expiry: 1 } },
      'accessKey.expiry',
      /not an accessKey option/,
    ],
    [{ accessKey: 'AK:SK' }, 'accessKey', /must be an object/],
    [{ accessKeyProvider: 'vault' }, 'accessKeyProvider', /function.*pino's worker/],
    [{ ecsMetadata: 'yes' }, 'ecsMetadata', /true or \{ endpoint \}/],
    [{ ecsMetadata: { endpoint: 'ftp://x' } }, 'ecsMetadata.endpoint', /https: or http:/],
    [{ ecsMetadata: { url: 'http://x' } }, 'ecsMetadata.url', /not an ecsMetadata option/],
    [{ accessKey: key, region: 'CN North 4' }, 'region', /region name/],
    [{ token: 't', api: 'batch', region: 'cn-north-4' }, 'api', /signed with an access key/],
    [
      { accessKey: key, api: 'batch' },
      'region',
      /required by api: 'batch'.*HUAWEICLOUD_SDK_REGION/,
    ],
    [{ accessKey: key, compression: 'gzip' }, 'compression', /high-accuracy' or 'batch'/],
    [{ accessKeyId: 'AK' }, 'accessKeyId', /is not a logtank option/],
  ])('refuses %j (%s)', (options, option, message) => {
    const error = failure({ endpoint, ...ids, ...options });
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
  });

  it('says which HUAWEICLOUD_SDK_* variable is missing, and what to give when nothing is', () => {
    const partial = failure({ endpoint, ...ids }, { HUAWEICLOUD_SDK_AK: 'AKIDEXAMPLE00000000' });
    expect(partial.message).toMatch(/HUAWEICLOUD_SDK_SK is not set/);
    const nothing = failure({ endpoint, ...ids }, {});
    expect(nothing.message).toMatch(/accessKey.*HUAWEICLOUD_SDK_AK.*ecsMetadata.*LTS_TOKEN/);
    const secretOnly = failure({ endpoint, ...ids }, { HUAWEICLOUD_SDK_SK: sk });
    expect(secretOnly.message).toMatch(/HUAWEICLOUD_SDK_AK is not set/);
  });

  it('never shows a secret given in the wrong place, a short one included', () => {
    const ak = 'AKIDEXAMPLE00000000';
    const misplaced: Array<[object, string]> = [
      [{ accessKey: sk }, 'accessKey'],
      [{ accessKey: `${ak}:${sk}` }, 'accessKey'],
      [{ ecsMetadata: sk }, 'ecsMetadata'],
      [{ iam: sk }, 'iam'],
      [{ tokenProvider: sk }, 'tokenProvider'],
      [{ accessKeyProvider: sk }, 'accessKeyProvider'],
      [{ accessKey: { id: ak, secret: 42 } }, 'accessKey.secret'],
      [{ iam: { domainName: 'd', userName: 'u', password: 'pw', region: sk } }, 'iam.region'],
      [{ token: 't', proxy: 'http://u:pw@' }, 'proxy'],
    ];
    for (const [credential, option] of misplaced) {
      const error = failure({ endpoint, ...ids, ...credential }, {});
      expect(error.option).toBe(option);
      if (option !== 'proxy') expect(error.message).toMatch(/got (a|an) \w+\b/);
      expect(error.message).not.toContain(ak);
      expect(error.message).not.toContain(sk.slice(0, 8));
      expect(error.message).not.toContain('pw');
    }
  });

  it('names the credential options, not token, when none is given', () => {
    const error = failure({ endpoint, ...ids }, {});
    expect(error.option).toBe('credentials');
    expect(error.message).toMatch(/^logtank: no credential given: give one of accessKey/);
  });

  it('names the environment variable a bad value came from', () => {
    const variables = {
      LTS_ENDPOINT: endpoint,
      LTS_PROJECT_ID: ids.projectId,
      LTS_LOG_GROUP_ID: ids.logGroupId,
      LTS_LOG_STREAM_ID: ids.logStreamId,
      LTS_TOKEN: 't',
    };
    const fromVariable = failure({}, { ...variables, LTS_PROJECT_ID: 'abc' });
    expect(fromVariable.option).toBe('projectId');
    expect(fromVariable.message).toMatch(/got 3 characters \(read from LTS_PROJECT_ID\)$/);
    // The bare reason, for a CLI that names the variable itself.
    expect(fromVariable.detail).toMatch(/got 3 characters$/);
    const huawei = failure(
      {},
      { ...variables, LTS_PROJECT_ID: undefined, HUAWEICLOUD_SDK_PROJECT_ID: 'abc' },
    );
    expect(huawei.message).toMatch(/\(read from HUAWEICLOUD_SDK_PROJECT_ID\)$/);
    expect(failure({}, { ...variables, LTS_ENDPOINT: 'ftp://x' }).message).toMatch(
      /\(read from LTS_ENDPOINT\)$/,
    );
    // A value given as an option is the option's.
    expect(failure({ projectId: 'abc' }, variables).message).not.toMatch(/read from/);
  });

  it('writes a and an as English does', () => {
    expect(
      failure({ endpoint, ...ids, accessKey: { id: 'a', secret: 'b', extra: 1 } }).message,
    ).toMatch(/is not an accessKey option/);
    expect(failure({ endpoint, ...ids, iam: { extra: 1 } }).message).toMatch(
      /is not an iam option/,
    );
    expect(failure({ endpoint, ...ids, token: 't', retry: [] }).message).toMatch(/got an array/);
    expect(failure({ endpoint, ...ids, token: 't', onDrop: {} }).message).toMatch(/got an object/);
  });

  it('catches an access key mistyped in ways that would fail only at LTS', () => {
    const ak = 'AKIDEXAMPLE00000000';
    // Huawei's secret keys are 40 characters.
    const sk40 = `${sk}x`;
    const swapped = failure({ endpoint, ...ids, accessKey: { id: sk40, secret: ak } });
    expect(swapped.option).toBe('accessKey.id');
    expect(swapped.message).toMatch(/swapped/);
    const swappedInEnvironment = failure(
      { endpoint, ...ids },
      { HUAWEICLOUD_SDK_AK: sk40, HUAWEICLOUD_SDK_SK: ak },
    );
    expect(swappedInEnvironment.option).toBe('HUAWEICLOUD_SDK_AK');
    const quoted = failure(
      { endpoint, ...ids },
      { HUAWEICLOUD_SDK_AK: ak, HUAWEICLOUD_SDK_SK: `"${sk}"` },
    );
    expect(quoted.option).toBe('HUAWEICLOUD_SDK_SK');
    expect(quoted.message).toMatch(/wrapped in quotes/);
    expect(failure({ endpoint, ...ids, accessKey: `${ak}:${sk}` }).message).toMatch(
      /\{ id, secret, securityToken\? \}.*separate fields/,
    );
  });
});
