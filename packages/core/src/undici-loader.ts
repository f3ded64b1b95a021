import type { Dispatcher, Pool } from 'undici';

/** The two pieces of undici the client uses. */
export interface UndiciParts {
  Pool: typeof Pool;
  /** undici's `request` API, called with a pool as `this`. */
  request: (
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ) => Promise<Dispatcher.ResponseData>;
  /** Where they came from: undici's own modules, or its package entry (if its layout changed). */
  source: 'modules' | 'package';
}

let loading: Promise<UndiciParts> | undefined;

/**
 * Loads undici's connection pool and its `request` API, once per thread.
 *
 * Only those two modules: undici's package entry also loads fetch, WebSocket,
 * EventSource, caches and mocks, which take ~100 ms of CPU against ~40 ms for
 * the pool (measured with `node -e "require('undici')"` against the two
 * requires). In a pino worker that time is taken from the app's own thread on
 * a busy machine. `request` is the very function undici's entry puts on
 * `Pool.prototype`. The version is pinned exactly; if its modules ever move,
 * the package entry is used instead (a test says so).
 */
export function loadUndici(): Promise<UndiciParts> {
  loading ??= loadModules().catch(loadPackage);
  return loading;
}

async function loadModules(): Promise<UndiciParts> {
  const [pool, request] = await Promise.all([
    import('undici/lib/dispatcher/pool.js'),
    import('undici/lib/api/api-request.js'),
  ]);
  if (typeof pool.default !== 'function' || typeof request.default !== 'function') {
    throw new TypeError('undici modules have another shape');
  }
  return { Pool: pool.default, request: request.default, source: 'modules' };
}

async function loadPackage(): Promise<UndiciParts> {
  const undici = await import('undici');
  return {
    Pool: undici.Pool,
    request: undici.Pool.prototype.request as UndiciParts['request'],
    source: 'package',
  };
}
