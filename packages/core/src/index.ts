/**
 * @logtank/core: records in, Huawei Cloud LTS requests out.
 * @packageDocumentation
 */
export {
  type AdapterOptionNames,
  fieldNamesOption,
  splitAdapterOptions,
} from './adapter-options.ts';
export { type CloseOptions, createLtsClient, LtsClient } from './client.ts';
export { defaults } from './defaults.ts';
export {
  LtsCredentialError,
  LtsDeliveryError,
  LtsOptionsError,
  LtsSpoolError,
  LtsTokenError,
} from './errors.ts';
export { toLabelValue } from './label-value.ts';
export { closestName } from './option-validators.ts';
export { clientOptionNames, splitClientOptions } from './options.ts';
export { safeJsonStringify } from './safe-json.ts';
export type {
  AccessKey,
  AccessKeyOptions,
  AccessKeyProvider,
  ClientStats,
  DropEvent,
  DropReason,
  EcsMetadataOptions,
  IamOptions,
  LogRecord,
  LtsApi,
  LtsClientOptions,
  OverflowPolicy,
  RateLimitOptions,
  RetryOptions,
  TlsOptions,
  TokenProvider,
} from './types.ts';
export { version } from './version.ts';
