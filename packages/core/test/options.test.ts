import { describe, expect, it } from 'vitest';
import { LtsClient, LtsOptionsError, splitClientOptions } from '../src/index.ts';
import { resolveOptions } from '../src/options.ts';

const ids = {
  projectId: '0123456789abcdef0123456789abcdef',
  logGroupId: '01234567-89ab-cdef-0123-456789abcdef',
  logStreamId: 'fedcba98-7654-3210-fedc-ba9876543210',
};
const secret = `MIIsecret${'x'.repeat(1200)}`;
const valid = { endpoint: 'https://192.0.2.10:8102', ...ids, token: secret };

function failure(options: unknown, environment: NodeJS.ProcessEnv = {}): LtsOptionsError {
  try {
    resolveOptions(options as never, environment);
  } catch (error) {
    expect(error).toBeInstanceOf(LtsOptionsError);
    const message = (error as Error).message;
    expect(message).not.toContain(secret);
    expect(message).not.toContain('hunter2');
    return error as LtsOptionsError;
  }
  throw new Error('expected the options to be refused');
}

describe('option validation', () => {
  it('keeps every static label, a `__proto__` one included (JSON configs can hold it)', () => {
    const labels = JSON.parse('{"__proto__":"x","app":"billing"}');
    expect(JSON.stringify(resolveOptions({ ...valid, labels }, {}).labels)).toBe(
      '{"__proto__":"x","app":"billing"}',
    );
  });

  it('accepts a complete configuration and fills in defaults', () => {
    const resolved = resolveOptions(valid, {});
    expect(resolved.reportPath).toBe(
      `/v2/${ids.projectId}/lts/groups/${ids.logGroupId}/streams/${ids.logStreamId}/tenant/contents`,
    );
    expect(resolved).toMatchObject({
      api: 'standard',
      maxBatchRecords: 4096,
      maxBatchBytes: 512 * 1024,
      lingerMs: 1000,
      maxBufferBytes: 64 * 1024 * 1024,
      overflow: 'drop-newest',
      maxConcurrency: 8,
      closeTimeoutMs: 5000,
      rateLimit: { requestsPerSecond: 500, bytesPerSecond: 100_000_000 },
      tls: { rejectUnauthorized: true },
    });
  });

  it('takes what the options leave out from LTS_* variables, options first', () => {
    const environment = {
      LTS_ENDPOINT: 'http://127.0.0.1:8102',
      LTS_PROJECT_ID: ids.projectId,
      LTS_LOG_GROUP_ID: ids.logGroupId,
      LTS_LOG_STREAM_ID: ids.logStreamId,
      LTS_TOKEN: 'from-environment',
    };
    const resolved = resolveOptions({}, environment);
    expect(resolved.endpoint.href).toBe('http://127.0.0.1:8102/');
    expect(resolved.credentials).toEqual({ kind: 'static', token: 'from-environment' });
    const overridden = resolveOptions(
      { endpoint: 'https://192.0.2.1:8102', token: 't' },
      environment,
    );
    expect(overridden.endpoint.host).toBe('192.0.2.1:8102');
    expect(overridden.credentials).toEqual({ kind: 'static', token: 't' });
  });

  it.each([
    [{ ...valid, endpoint: undefined }, 'endpoint', /is required.*LTS_ENDPOINT/],
    [{ ...valid, endpoint: 'ftp://host' }, 'endpoint', /https: or http:/],
    [{ ...valid, endpoint: 'not a url' }, 'endpoint', /absolute http/],
    [{ ...valid, endpoint: 'https://user:hunter2@192.0.2.10:8102' }, 'endpoint', /credentials/],
    [{ ...valid, endpoint: 'https://192.0.2.10:8102/a/../b' }, 'endpoint', /dot segments/],
    [{ ...valid, endpoint: 'https://192.0.2.10:8102/%2e%2e/x' }, 'endpoint', /dot segments/],
    [{ ...valid, endpoint: 'https://192.0.2.10:8102/?a=1' }, 'endpoint', /query/],
    [{ ...valid, projectId: 'short' }, 'projectId', /32-character.*got 5 characters/],
    [{ ...valid, projectId: `../${'a'.repeat(29)}` }, 'projectId', /outside/],
    [{ ...valid, logGroupId: 'x'.repeat(35) }, 'logGroupId', /36-character/],
    [{ ...valid, logStreamId: 42 }, 'logStreamId', /got 42/],
    [{ ...valid, token: '' }, 'token', /non-empty/],
    [{ ...valid, token: 'two words' }, 'token', /spaces/],
    [{ ...valid, token: undefined }, 'credentials', /no credential given/],
    [
      { ...valid, signals: 'SIGTERM' },
      'signals',
      /false or an array of 'SIGTERM', 'SIGINT', 'SIGHUP'; got "SIGTERM"/,
    ],
    [{ ...valid, signals: ['SIGTERM', 'SIGKILL'] }, 'signals[1]', /one of 'SIGTERM'/],
    [{ ...valid, tokenProvider: () => 'x' }, 'token and tokenProvider', /exclusive/],
    [{ ...valid, token: undefined, tokenProvider: 'x' }, 'tokenProvider', /function/],
    [{ ...valid, api: 'fast' }, 'api', /'standard', 'high-accuracy'/],
    [{ ...valid, compression: 'gzip' }, 'compression', /high-accuracy/],
    [{ ...valid, compression: 'br' }, 'compression', /one of/],
    [{ ...valid, maxBatchRecords: 0 }, 'maxBatchRecords', /between 1 and/],
    [{ ...valid, maxBatchRecords: 1.5 }, 'maxBatchRecords', /integer/],
    [{ ...valid, maxBatchBytes: '512k' }, 'maxBatchBytes', /number/],
    [{ ...valid, maxBufferBytes: 2048 }, 'maxBufferBytes', /at least maxBatchBytes/],
    [{ ...valid, lingerMs: -1 }, 'lingerMs', /between 0/],
    [{ ...valid, overflow: 'block' }, 'overflow', /drop-newest/],
    [{ ...valid, retry: { maxAttempts: 0 } }, 'retry.maxAttempts', /between 1/],
    [
      { ...valid, retry: { baseDelayMs: 500, maxDelayMs: 100 } },
      'retry.maxDelayMs',
      /at least retry.baseDelayMs/,
    ],
    [{ ...valid, retry: 3 }, 'retry', /object/],
    [{ ...valid, timeoutMs: 0 }, 'timeoutMs', /between 1/],
    [{ ...valid, maxConcurrency: 0 }, 'maxConcurrency', /between 1/],
    [{ ...valid, rateLimit: { requestsPerSecond: 0 } }, 'rateLimit.requestsPerSecond', /between/],
    [{ ...valid, tls: { ca: 42 } }, 'tls.ca', /PEM string/],
    [{ ...valid, tls: { ca: '/etc/ssl/ca.pem' } }, 'tls.ca', /path is not enough/],
    [{ ...valid, tls: { rejectUnauthorized: 'no' } }, 'tls.rejectUnauthorized', /boolean/],
    [{ ...valid, tls: { verify: false } }, 'tls.verify', /not a tls option/],
    [{ ...valid, retry: { maxAttempt: 3 } }, 'retry.maxAttempt', /not a retry option/],
    [{ ...valid, rateLimit: { rps: 3 } }, 'rateLimit.rps', /not a rateLimit option/],
    [{ ...valid, spool: { directory: '/tmp/x' } }, 'spool.directory', /not a spool option/],
    [{ ...valid, spool: {} }, 'spool.dir', /non-empty string; got undefined/],
    [{ ...valid, labels: { env: 1 } }, 'labels.env', /must be a string; got 1/],
    [{ ...valid, labels: 'env=prod' }, 'labels', /object/],
    [{ ...valid, onError: 'log' }, 'onError', /function/],
    [{ ...valid, lingerMS: 10 }, 'lingerMS', /not a logtank option \(did you mean lingerMs\?\)/],
    [
      { ...valid, token: undefined, iam: { userName: 'u', password: 'hunter2' } },
      'iam.domainName',
      /non-empty/,
    ],
    [
      { ...valid, token: undefined, iam: { domainName: 'd', userName: 'u', password: 0 } },
      'iam.password',
      /a number/,
    ],
    [
      {
        ...valid,
        token: undefined,
        iam: { domainName: 'd', userName: 'u', password: 'hunter2', region: 'CN NORTH' },
      },
      'iam.region',
      /region name/,
    ],
  ])('rejects %j naming %s', (options, option, message) => {
    const error = failure(options);
    expect(error.option).toBe(option);
    expect(error.message).toMatch(message);
    if (option !== 'credentials') expect(error.message).toContain(`option ${option}`);
  });

  it('never echoes the token or password in any message', () => {
    failure({ ...valid, token: `${secret} trailing` });
    failure({
      ...valid,
      token: undefined,
      iam: { domainName: 'd', userName: 'u', password: 'hunter2', extra: 1 },
    });
  });

  it('resolves the IAM endpoint and scope', () => {
    const byRegion = resolveOptions(
      {
        ...valid,
        token: undefined,
        iam: { domainName: 'd', userName: 'u', password: 'p', region: 'cn-north-4' },
      },
      {},
    );
    expect(byRegion.credentials).toMatchObject({
      kind: 'iam',
      iam: { scope: { id: ids.projectId } },
    });
    if (byRegion.credentials.kind !== 'iam') throw new Error('expected iam');
    expect(byRegion.credentials.iam.endpoint.href).toBe(
      'https://iam.cn-north-4.myhuaweicloud.com/',
    );
  });

  it('is checked once, at construction of the client', () => {
    expect(() => new LtsClient({ ...valid, maxBatchRecords: -5 })).toThrow(LtsOptionsError);
  });

  it('splits adapter options from client options', () => {
    const { client, rest } = splitClientOptions({ ...valid, level: 'info', lingerMs: 5 });
    expect(client).toEqual({ ...valid, lingerMs: 5 });
    expect(rest).toEqual({ level: 'info' });
  });

  it('suggests the nearest option, not the first one near enough', () => {
    expect(failure({ ...valid, label: { env: 'x' } }).message).toMatch(/did you mean labels\?/);
  });

  it('suggests the nested option a typo was meant to be', () => {
    expect(failure({ ...valid, retry: { maxAtempts: 3 } }).message).toMatch(
      /option retry\.maxAtempts is not a retry option .*; did you mean retry\.maxAttempts\?/,
    );
    expect(failure({ ...valid, tls: { rejectUnauthorised: false } }).message).toMatch(
      /did you mean tls\.rejectUnauthorized\?/,
    );
  });
});
