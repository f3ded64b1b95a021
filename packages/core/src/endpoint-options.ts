import {
  type CredentialSource,
  credentialEnvironment,
  signsRequests,
} from './credential-options.ts';
import { defaults } from './defaults.ts';
import { LtsOptionsError } from './errors.ts';
import { nonEmpty, oneOf, parseEndpoint, requireId } from './option-validators.ts';
import type { LtsApi, LtsClientOptions } from './types.ts';

/** The environment variables that fill in where to write. */
const environmentNames = {
  endpoint: 'LTS_ENDPOINT',
  projectId: 'LTS_PROJECT_ID',
  logGroupId: 'LTS_LOG_GROUP_ID',
  logStreamId: 'LTS_LOG_STREAM_ID',
  /** Huawei's SDKs read the project id from here; `LTS_PROJECT_ID` comes first. */
  huaweiProjectId: 'HUAWEICLOUD_SDK_PROJECT_ID',
} as const;

/**
 * Checks the option, or else the first of `variables` that is set; a bad
 * value from the environment is named by its variable, which is where the
 * user must fix it.
 */
function checked<T>(
  value: unknown,
  environment: NodeJS.ProcessEnv,
  variables: readonly string[],
  check: (value: unknown) => T,
): T {
  if (value !== undefined) return check(value);
  const variable = variables.find((name) => nonEmpty(environment[name]) !== undefined);
  if (variable === undefined) return check(undefined);
  try {
    return check(nonEmpty(environment[variable]));
  } catch (error) {
    if (!(error instanceof LtsOptionsError)) throw error;
    // The message names the variable; `detail` stays the bare reason, for a CLI that names it itself.
    throw new LtsOptionsError(
      error.option,
      error.detail,
      `${error.message} (read from ${variable})`,
    );
  }
}

/** Where to write: the access point and the path ids. */
export interface ResolvedDestination {
  endpoint: URL;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
}

/** Which route, and how its bodies go. */
export interface ResolvedRoute {
  api: LtsApi;
  compression: 'none' | 'gzip';
  /** The report path, without the origin. */
  reportPath: string;
}

/** `endpoint` and the ids, from the options or the `LTS_*` (and Huawei's) variables. */
export function resolveDestination(
  options: LtsClientOptions,
  environment: NodeJS.ProcessEnv,
): ResolvedDestination {
  const endpoint = checked(options.endpoint, environment, [environmentNames.endpoint], (value) =>
    parseEndpoint(
      'endpoint',
      value,
      `is required: the LTS access point, e.g. https://192.0.2.10:8102 (or set ${environmentNames.endpoint})`,
    ),
  );
  const projectId = checked(
    options.projectId,
    environment,
    [environmentNames.projectId, environmentNames.huaweiProjectId],
    (value) =>
      requireId(
        'projectId',
        value,
        /^[A-Za-z0-9]{32}$/,
        'the 32-character project id (letters and digits)',
        `${environmentNames.projectId} or ${environmentNames.huaweiProjectId}`,
      ),
  );
  const logGroupId = checked(
    options.logGroupId,
    environment,
    [environmentNames.logGroupId],
    (value) =>
      requireId(
        'logGroupId',
        value,
        /^[A-Za-z0-9-]{36}$/,
        'the 36-character log group id (letters, digits and dashes)',
        environmentNames.logGroupId,
      ),
  );
  const logStreamId = checked(
    options.logStreamId,
    environment,
    [environmentNames.logStreamId],
    (value) =>
      requireId(
        'logStreamId',
        value,
        /^[A-Za-z0-9-]{36}$/,
        'the 36-character log stream id (letters, digits and dashes)',
        environmentNames.logStreamId,
      ),
  );
  return { endpoint, projectId, logGroupId, logStreamId };
}

/**
 * `api` and `compression`, and the path they post to. The producer route
 * (`batch`) is signed with an access key and scoped to a region.
 */
export function resolveRoute(
  options: LtsClientOptions,
  destination: ResolvedDestination,
  credentials: CredentialSource,
  region: string | undefined,
): ResolvedRoute {
  const api = oneOf(
    'api',
    options.api,
    ['standard', 'high-accuracy', 'batch'] as const,
    defaults.api,
  );
  if (api === 'batch') {
    if (!signsRequests(credentials)) {
      throw new LtsOptionsError(
        'api',
        `'batch' (the producer route) is signed with an access key: give accessKey, accessKeyProvider or ecsMetadata (or set ${credentialEnvironment.accessKeyId} and ${credentialEnvironment.accessKeySecret}) instead of a token`,
      );
    }
    if (region === undefined) {
      throw new LtsOptionsError(
        'region',
        `is required by api: 'batch' (its signature is scoped to the region), e.g. 'cn-north-4' (or set ${credentialEnvironment.region})`,
      );
    }
  }
  const compression = oneOf('compression', options.compression, ['none', 'gzip'] as const, 'none');
  if (compression === 'gzip' && api === 'standard') {
    throw new LtsOptionsError(
      'compression',
      "'gzip' needs api: 'high-accuracy' or 'batch' (the standard endpoint takes uncompressed bodies)",
    );
  }
  const { endpoint, projectId, logGroupId, logStreamId } = destination;
  const stream = `lts/groups/${logGroupId}/streams/${logStreamId}/tenant`;
  const route =
    api === 'standard'
      ? `/v2/${projectId}/${stream}/contents`
      : api === 'high-accuracy'
        ? `/v2/${projectId}/${stream}/contents/high-accuracy`
        : `/v2/internal/${projectId}/${stream}/batch-contents`;
  return { api, compression, reportPath: `${endpoint.pathname.replace(/\/$/, '')}${route}` };
}
