import type { AccessKey } from './types.ts';

/** Sample ids of the right shapes, used by `emulator.clientOptions()`. */
export const sampleIds = {
  projectId: '2a473356cca5487f8373be891bffc1cf',
  logGroupId: '7f1e52d4-6a3b-4c1e-9d0f-5b2a8c3e1f40',
  logStreamId: 'c3d9a8b2-0e7f-4a61-b5c4-92d1e6f03a7b',
} as const;

/** What every client options object from the emulator carries. */
export interface EmulatorConnectionOptions {
  endpoint: string;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
  /** Present when the emulator serves HTTPS with a generated certificate. */
  tls?: { ca: string };
}

/** Client options authenticating with an X-Auth-Token (the default). */
export interface EmulatorTokenClientOptions extends EmulatorConnectionOptions {
  token: string;
}

/** Client options signing requests with the emulator's sample access key. */
export interface EmulatorAccessKeyClientOptions extends EmulatorConnectionOptions {
  accessKey: AccessKey & { securityToken?: string };
  region: string;
}

/** Client options taking temporary keys from the emulator's metadata stand-in. */
export interface EmulatorEcsMetadataClientOptions extends EmulatorConnectionOptions {
  ecsMetadata: { endpoint: string };
  region: string;
}

/** Options for an LTS client pointed at the emulator, with one kind of credentials. */
export type EmulatorClientOptions =
  | EmulatorTokenClientOptions
  | EmulatorAccessKeyClientOptions
  | EmulatorEcsMetadataClientOptions;

/** Which credentials `clientOptions()` fills in. */
export type EmulatorCredentialsChoice = 'token' | 'access-key' | 'ecs-metadata';

/** Overrides of `clientOptions()`: any field, and `credentials` to choose the kind (not passed on). */
export type EmulatorClientOptionsOverrides = Partial<
  EmulatorConnectionOptions & {
    token: string;
    accessKey: AccessKey & { securityToken?: string };
    ecsMetadata: { endpoint: string };
    region: string;
  }
> & { credentials?: EmulatorCredentialsChoice };

/** What `clientOptions()` is built from. */
export interface ClientOptionsSource {
  url: string;
  ca: string | undefined;
  token: string;
  accessKey: AccessKey;
  region: string;
  metadataUrl: string | undefined;
}

/** Builds `emulator.clientOptions(overrides)`. */
export function buildClientOptions(
  source: ClientOptionsSource,
  overrides: EmulatorClientOptionsOverrides = {},
): EmulatorClientOptions {
  const { credentials = 'token', ...rest } = overrides;
  const connection = {
    endpoint: source.url,
    ...sampleIds,
    ...(source.ca === undefined ? {} : { tls: { ca: source.ca } }),
  };
  switch (credentials) {
    case 'token':
      return { ...connection, token: source.token, ...rest } as EmulatorTokenClientOptions;
    case 'access-key':
      return {
        ...connection,
        accessKey: { ...source.accessKey },
        region: source.region,
        ...rest,
      } as EmulatorAccessKeyClientOptions;
    case 'ecs-metadata':
      if (source.metadataUrl === undefined) {
        throw new Error(
          "clientOptions({ credentials: 'ecs-metadata' }): the metadata stand-in is not running; start the emulator with startEmulator({ metadata: true }).",
        );
      }
      return {
        ...connection,
        ecsMetadata: { endpoint: source.metadataUrl },
        region: source.region,
        ...rest,
      } as EmulatorEcsMetadataClientOptions;
    default:
      throw new TypeError(
        `clientOptions: credentials must be 'token', 'access-key' or 'ecs-metadata'; got ${JSON.stringify(credentials)}.`,
      );
  }
}
