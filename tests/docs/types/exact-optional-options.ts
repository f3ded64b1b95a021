// Compiled with exactOptionalPropertyTypes (tsconfig.exact.json): options
// read from the environment (string | undefined) are accepted as written in
// the READMEs, for the client and every adapter.
import { LtsClient, type LtsClientOptions } from '@logtank/core';
import type { LtsAppenderConfig } from '@logtank/log4js';
import type { LtsTransportOptions as PinoOptions } from '@logtank/pino';
import { LtsTransport } from '@logtank/winston';

const fromEnvironment: LtsClientOptions = {
  endpoint: process.env.LTS_ENDPOINT,
  projectId: process.env.LTS_PROJECT_ID,
  logGroupId: process.env.LTS_LOG_GROUP_ID,
  logStreamId: process.env.LTS_LOG_STREAM_ID,
  token: process.env.LTS_TOKEN,
  region: process.env.HUAWEICLOUD_SDK_REGION,
  accessKey: process.env.HUAWEICLOUD_SDK_AK
    ? {
        id: process.env.HUAWEICLOUD_SDK_AK,
        secret: process.env.HUAWEICLOUD_SDK_SK ?? '',
        securityToken: process.env.HUAWEICLOUD_SDK_SECURITY_TOKEN,
      }
    : undefined,
  spool: process.env.LOG_SPOOL ? { dir: process.env.LOG_SPOOL, maxBytes: undefined } : undefined,
  signals: undefined,
};

export const client = () => new LtsClient(fromEnvironment);
export const winstonTransport = () =>
  new LtsTransport({ ...fromEnvironment, labelKeys: undefined });
export const pinoOptions: PinoOptions = {
  ...fromEnvironment,
  labelKeys: undefined,
  maxLineBytes: undefined,
};
export const log4jsAppender: LtsAppenderConfig = {
  type: '@logtank/log4js',
  ...fromEnvironment,
  labelKeys: undefined,
};
