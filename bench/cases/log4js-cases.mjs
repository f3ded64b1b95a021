import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Configures log4js with one appender and returns the case's logger and
 * documented shutdown. Libraries are imported inside each case: a case's
 * process loads only what that case uses.
 */
async function configured(appender) {
  const { default: log4js } = await import('log4js');
  log4js.configure({
    appenders: { out: appender },
    categories: { default: { appenders: ['out'], level: 'info' } },
  });
  const logger = log4js.getLogger('bench');
  return {
    log: (fields, message) => logger.info(message, fields),
    close: () =>
      new Promise((resolve, reject) =>
        log4js.shutdown((error) => (error ? reject(error) : resolve())),
      ),
  };
}

/** The log4js cases: the floor, ours and the peer. */
export const log4jsCases = [
  {
    name: 'log4js-devnull',
    framework: 'log4js',
    role: 'floor',
    label: "log4js → file('/dev/null')",
    open: async () => configured({ type: 'file', filename: '/dev/null' }),
  },
  {
    name: 'log4js-logtank',
    framework: 'log4js',
    role: 'ours',
    label: 'log4js + @logtank/log4js',
    // The module object as `type`: pnpm keeps @logtank/log4js out of log4js's own require path.
    open: async ({ ltsOptions }) =>
      configured({ type: await import('@logtank/log4js'), ...ltsOptions }),
  },
  {
    name: 'log4js-logstash',
    framework: 'log4js',
    role: 'peer',
    label: 'log4js + @log4js-node/logstash-http',
    open: async ({ sinkUrl }) =>
      configured({
        type: require('@log4js-node/logstash-http'),
        url: `${sinkUrl}/_bulk`,
        application: 'bench',
        logType: 'application',
        logChannel: 'bench',
      }),
  },
];
