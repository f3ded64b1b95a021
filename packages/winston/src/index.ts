/**
 * @logtank/winston: a winston transport for Huawei Cloud LTS.
 * @packageDocumentation
 */
import { LtsTransport } from './transport.ts';

export type { ClientStats, DropEvent, LtsClientOptions } from '@logtank/core';
export {
  LtsCredentialError,
  LtsDeliveryError,
  LtsOptionsError,
  LtsTokenError,
} from '@logtank/core';
export type { WinstonInfo } from './info-to-record.ts';
export { LtsDropWarning, LtsTransport, type LtsTransportOptions } from './transport.ts';
export { version } from './version.ts';
export default LtsTransport;
