import type { AdapterApp } from './adapter-driver.ts';

/**
 * The whole stdout of an app whose documented shutdown completed: the app's
 * shutdown line (none for an app that writes nothing), then `after` (a
 * regular expression's source).
 */
export function shutdownOutput(app: AdapterApp, after = ''): RegExp {
  return app.shutdownLine === undefined
    ? new RegExp(`^${after}$`)
    : new RegExp(`^${app.shutdownLine}\\n${after}$`);
}
