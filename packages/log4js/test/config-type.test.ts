import type { LtsAppenderConfig } from '@logtank/log4js';
import type log4js from 'log4js';
import { describe, expect, it } from 'vitest';

// A compile-time check as much as a test: `pnpm typecheck` fails if a config
// typed as LtsAppenderConfig no longer fits log4js's own Configuration.
describe('LtsAppenderConfig', () => {
  it('is accepted by log4js.configure as an appender', () => {
    const lts: LtsAppenderConfig = {
      type: '@logtank/log4js',
      labels: { app: 'billing' },
      labelKeys: ['level'],
    };
    const configuration: log4js.Configuration = {
      appenders: { lts },
      categories: { default: { appenders: ['lts'], level: 'info' } },
    };
    expect(configuration.appenders.lts).toBe(lts);
  });
});
