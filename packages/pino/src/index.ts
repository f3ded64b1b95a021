/**
 * @logtank/pino: a pino transport (worker thread or in-process) that ships
 * logs to Huawei Cloud LTS through @logtank/core.
 * @packageDocumentation
 */
import { ltsTransport } from './transport.ts';

export {
  type ClientStats,
  type DropEvent,
  LtsCredentialError,
  LtsDeliveryError,
  LtsOptionsError,
  LtsTokenError,
} from '@logtank/core';
export { type LtsTransportStream, ltsTransport } from './transport.ts';
export type { LtsTransportOptions } from './transport-options.ts';
export { version } from './version.ts';

export default ltsTransport;
