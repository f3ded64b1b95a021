import { LtsOptionsError } from '@logtank/core';
import { flagOfOption, UsageError } from './cli-arguments.ts';
import type { LtsTransportOptions } from './transport-options.ts';

/**
 * The environment variables the client reads for an option the command line
 * left out, in the order it reads them (the credential variables need no
 * entry: the client names them itself).
 */
const environmentOfOption: Readonly<Record<string, readonly string[]>> = {
  endpoint: ['LTS_ENDPOINT'],
  projectId: ['LTS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID'],
  logGroupId: ['LTS_LOG_GROUP_ID'],
  logStreamId: ['LTS_LOG_STREAM_ID'],
};

/** Where the command line can take a credential from, besides `--token` and `--ecs-metadata`. */
const credentialVariables = ['LTS_TOKEN', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK'] as const;

/**
 * A one-line reason why `logtank` cannot start, in the words its user typed:
 * the flag, or the environment variable the value came from, never a client
 * option name, and never a secret (the client's messages carry none).
 *
 * @param given the options the command line set (undefined when it could not be read)
 */
export function describeStartError(
  error: unknown,
  given: LtsTransportOptions | undefined,
  environment: NodeJS.ProcessEnv = process.env,
): string {
  if (error instanceof UsageError) return error.message;
  if (error instanceof LtsOptionsError) {
    if (error.option === 'credentials' && !hasCredential(given ?? {}, environment)) {
      return 'a credential is required: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (an access key), pass --ecs-metadata (the ECS/CCE instance agency keys) or set LTS_TOKEN';
    }
    return `${sourceOf(error.option, given ?? {}, environment)} ${error.detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** What the user typed or set for a client option: `--project-id`, `LTS_PROJECT_ID`, `--label env=…`. */
function sourceOf(option: string, given: LtsTransportOptions, environment: NodeJS.ProcessEnv) {
  const label = /^labels\.(.+)$/.exec(option);
  if (label) return `--label ${label[1]}=…`;
  // labelKeys[2] is the third --label-key.
  const name = option.replace(/\[\d+\]$/, '');
  const flag = flagOfOption[name];
  if (flag === undefined) {
    // The access key only ever comes from the environment on the command
    // line; the credential variables (LTS_TOKEN, HUAWEICLOUD_SDK_*) name themselves.
    return name === 'accessKey'
      ? 'the access key (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK)'
      : option;
  }
  if (valueAt(given, name) === undefined) {
    const variable = environmentOfOption[name]?.find((variable) => isSet(environment[variable]));
    if (variable !== undefined) return variable;
  }
  return flag;
}

function hasCredential(given: LtsTransportOptions, environment: NodeJS.ProcessEnv): boolean {
  return (
    given.token !== undefined ||
    given.ecsMetadata !== undefined ||
    credentialVariables.some((variable) => isSet(environment[variable]))
  );
}

/** The option at a dotted path (`tls.ca`). */
function valueAt(options: LtsTransportOptions, path: string): unknown {
  let value: unknown = options;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** As the client reads the environment: a blank variable is not set. */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}
