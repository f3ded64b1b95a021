import { defaults } from './defaults.ts';
import { LtsOptionsError } from './errors.ts';
import {
  describe,
  isPlainObject,
  nonEmpty,
  onlyKnownKeys,
  optionalObject,
  parseEndpoint,
  regionName,
  requireAccessKeyId,
  requireHeaderSecret,
  requireId,
  requireString,
} from './option-validators.ts';
import { type ChosenProxy, type ProxySetting, proxyFor } from './proxy-choice.ts';
import type {
  AccessKeyOptions,
  AccessKeyProvider,
  EcsMetadataOptions,
  IamOptions,
  LtsClientOptions,
  TokenProvider,
} from './types.ts';

/** Where the credentials of every request come from, after validation. */
export type CredentialSource =
  /** `shadows`: other credentials the environment also holds, which this one wins over (a warning says so). */
  | { kind: 'static'; token: string; shadows?: string }
  | { kind: 'provider'; provider: TokenProvider }
  | { kind: 'iam'; iam: ResolvedIamOptions }
  | { kind: 'access-key'; key: AccessKeyOptions }
  | { kind: 'access-key-provider'; provider: AccessKeyProvider }
  | { kind: 'ecs-metadata'; endpoint: URL };

/** Whether requests are signed with an access key (rather than carrying a token). */
export function signsRequests(source: CredentialSource): boolean {
  return (
    source.kind === 'access-key' ||
    source.kind === 'access-key-provider' ||
    source.kind === 'ecs-metadata'
  );
}

/** IAM settings after defaults. */
export interface ResolvedIamOptions {
  endpoint: URL;
  domainName: string;
  userName: string;
  password: string;
  scope: { id: string } | { name: string };
  renewBeforeExpiryMs: number;
  /** The forward proxy for the IAM endpoint, if any. */
  proxy: ChosenProxy | undefined;
}

/** The credential options; exactly one may be given. */
export const credentialOptionNames = [
  'token',
  'tokenProvider',
  'iam',
  'accessKey',
  'accessKeyProvider',
  'ecsMetadata',
] as const satisfies ReadonlyArray<keyof LtsClientOptions>;

/** The environment variables that stand in for credential options, as Huawei's SDKs read them. */
export const credentialEnvironment = {
  token: 'LTS_TOKEN',
  accessKeyId: 'HUAWEICLOUD_SDK_AK',
  accessKeySecret: 'HUAWEICLOUD_SDK_SK',
  securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  region: 'HUAWEICLOUD_SDK_REGION',
} as const;

const workerHint =
  " (in pino's worker mode functions cannot cross threads: use accessKey, ecsMetadata or the HUAWEICLOUD_SDK_AK/SK variables there)";

/**
 * The one credential source the options give, or, with none given,
 * `LTS_TOKEN`, then `HUAWEICLOUD_SDK_AK` + `HUAWEICLOUD_SDK_SK`
 * (+ `HUAWEICLOUD_SDK_SECURITY_TOKEN`). Secrets are never echoed.
 */
export function resolveCredentials(
  options: LtsClientOptions,
  environment: NodeJS.ProcessEnv,
  projectId: string,
  proxy: ProxySetting,
): CredentialSource {
  const given = credentialOptionNames.filter((name) => options[name] !== undefined);
  if (given.length > 1) {
    throw new LtsOptionsError(
      given.join(' and '),
      `are exclusive: give one of ${credentialOptionNames.join(', ')}`,
    );
  }
  switch (given[0]) {
    case 'token':
      return { kind: 'static', token: requireHeaderSecret('token', options.token) };
    case 'tokenProvider':
      if (typeof options.tokenProvider !== 'function') {
        throw new LtsOptionsError(
          'tokenProvider',
          `must be a function returning a token (or a promise of one); got ${describe(options.tokenProvider, 'tokenProvider')}${workerHint}`,
        );
      }
      return { kind: 'provider', provider: options.tokenProvider };
    case 'iam':
      return { kind: 'iam', iam: resolveIam(options.iam, projectId, proxy, environment) };
    case 'accessKey':
      return { kind: 'access-key', key: resolveAccessKey('accessKey', options.accessKey) };
    case 'accessKeyProvider':
      if (typeof options.accessKeyProvider !== 'function') {
        throw new LtsOptionsError(
          'accessKeyProvider',
          `must be a function returning { id, secret, securityToken?, expiresAt? } (or a promise of one); got ${describe(options.accessKeyProvider, 'accessKeyProvider')}${workerHint}`,
        );
      }
      return { kind: 'access-key-provider', provider: options.accessKeyProvider };
    case 'ecsMetadata':
      return { kind: 'ecs-metadata', endpoint: resolveEcsMetadata(options.ecsMetadata) };
    default:
      return fromEnvironment(environment);
  }
}

function fromEnvironment(environment: NodeJS.ProcessEnv): CredentialSource {
  const names = credentialEnvironment;
  const token = nonEmpty(environment[names.token]);
  const id = nonEmpty(environment[names.accessKeyId]);
  const secret = nonEmpty(environment[names.accessKeySecret]);
  if (token !== undefined) {
    const source = { kind: 'static', token: requireHeaderSecret(names.token, token) } as const;
    return id === undefined && secret === undefined
      ? source
      : { ...source, shadows: `${names.accessKeyId}/${names.accessKeySecret}` };
  }
  if (id !== undefined || secret !== undefined) {
    if (id === undefined || secret === undefined) {
      throw new LtsOptionsError(
        'accessKey',
        `needs both ${names.accessKeyId} and ${names.accessKeySecret}; ${id === undefined ? names.accessKeyId : names.accessKeySecret} is not set`,
      );
    }
    const securityToken = nonEmpty(environment[names.securityToken]);
    return {
      kind: 'access-key',
      key: {
        id: requireAccessKeyId(names.accessKeyId, id),
        secret: requireHeaderSecret(names.accessKeySecret, secret),
        ...(securityToken === undefined
          ? {}
          : { securityToken: requireHeaderSecret(names.securityToken, securityToken) }),
      },
    };
  }
  const choices = `accessKey (or set ${names.accessKeyId} and ${names.accessKeySecret}), ecsMetadata, accessKeyProvider, token (or set ${names.token}), tokenProvider or iam`;
  throw new LtsOptionsError(
    'credentials',
    `are missing: give one of ${choices}`,
    `logtank: no credential given: give one of ${choices}`,
  );
}

function resolveAccessKey(name: string, value: unknown): AccessKeyOptions {
  if (typeof value === 'string') {
    throw new LtsOptionsError(
      name,
      `must be an object { id, secret, securityToken? }; got ${describe(value, name)} (give the key id and the secret as separate fields)`,
    );
  }
  const key = optionalObject<Partial<AccessKeyOptions>>(name, value) ?? {};
  onlyKnownKeys(name, key, ['id', 'secret', 'securityToken']);
  return {
    id: requireAccessKeyId(`${name}.id`, key.id),
    secret: requireHeaderSecret(`${name}.secret`, key.secret),
    ...(key.securityToken === undefined
      ? {}
      : { securityToken: requireHeaderSecret(`${name}.securityToken`, key.securityToken) }),
  };
}

function resolveEcsMetadata(value: unknown): URL {
  if (value === true) return new URL(defaults.ecsMetadata.endpoint);
  if (!isPlainObject(value)) {
    throw new LtsOptionsError(
      'ecsMetadata',
      `must be true or { endpoint }; got ${describe(value, 'ecsMetadata')}`,
    );
  }
  const options = value as EcsMetadataOptions;
  onlyKnownKeys('ecsMetadata', options, ['endpoint']);
  return options.endpoint === undefined
    ? new URL(defaults.ecsMetadata.endpoint)
    : parseEndpoint('ecsMetadata.endpoint', options.endpoint);
}

/** `region`, or `HUAWEICLOUD_SDK_REGION`. */
export function resolveRegion(value: unknown, environment: NodeJS.ProcessEnv): string | undefined {
  if (value !== undefined) return regionName('region', value);
  const fromEnvironment = nonEmpty(environment[credentialEnvironment.region]);
  return fromEnvironment === undefined
    ? undefined
    : regionName(credentialEnvironment.region, fromEnvironment);
}

function resolveIam(
  iam: IamOptions | undefined,
  projectId: string,
  proxy: ProxySetting,
  environment: NodeJS.ProcessEnv,
): ResolvedIamOptions {
  const value = optionalObject<Partial<IamOptions>>('iam', iam) ?? {};
  onlyKnownKeys('iam', value, [
    'endpoint',
    'region',
    'domainName',
    'userName',
    'password',
    'projectId',
    'projectName',
  ]);
  const domainName = requireString('iam.domainName', value.domainName);
  const userName = requireString('iam.userName', value.userName);
  if (typeof value.password !== 'string' || value.password.length === 0) {
    throw new LtsOptionsError(
      'iam.password',
      `must be a non-empty string; got ${describe(value.password, 'iam.password')}`,
    );
  }
  let endpoint: URL;
  if (value.endpoint !== undefined) {
    endpoint = parseEndpoint('iam.endpoint', value.endpoint);
  } else if (value.region !== undefined) {
    endpoint = new URL(`https://iam.${regionName('iam.region', value.region)}.myhuaweicloud.com`);
  } else {
    endpoint = new URL(defaults.iam.endpoint);
  }
  if (value.projectId !== undefined && value.projectName !== undefined) {
    throw new LtsOptionsError('iam.projectId and iam.projectName', 'are exclusive: give one');
  }
  const scope =
    value.projectName !== undefined
      ? { name: requireString('iam.projectName', value.projectName) }
      : {
          id:
            value.projectId === undefined
              ? projectId
              : requireId(
                  'iam.projectId',
                  value.projectId,
                  /^[A-Za-z0-9]{32}$/,
                  'the 32-character project id',
                ),
        };
  return {
    endpoint,
    domainName,
    userName,
    password: value.password,
    scope,
    renewBeforeExpiryMs: defaults.iam.renewBeforeExpiryMs,
    proxy: proxyFor(endpoint, proxy, environment),
  };
}
