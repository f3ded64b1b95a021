import log4js from 'log4js';

export { log4js };

/**
 * Configures the real log4js with one `lts` appender for every category at
 * level ALL. `type` defaults to the package name, which log4js resolves with
 * `require` as it would in an app.
 */
export function configureLts(appender: object, category: { enableCallStack?: boolean } = {}): void {
  log4js.configure({
    appenders: { lts: { type: '@logtank/log4js', ...appender } },
    categories: { default: { appenders: ['lts'], level: 'all', ...category } },
  });
}

/** `log4js.shutdown(cb)` as a promise that resolves with what cb received. */
export function shutdownLog4js(): Promise<Error | undefined> {
  return new Promise((resolve) => log4js.shutdown((error) => resolve(error)));
}
