/**
 * @logtank/emulator: a faithful local Huawei Cloud LTS report endpoint for
 * development, tests and demos.
 * @packageDocumentation
 */
export type { FaultDecision, FaultDescription } from './faults.ts';
export { Faults } from './faults.ts';
export { bodyForStatus, errorCodes, responseBodies } from './responses.ts';
export {
  type Emulator,
  type EmulatorClientOptions,
  type RecordFilter,
  sampleIds,
  startEmulator,
} from './server.ts';
export { scanLogTimes } from './time-scan.ts';
export type {
  EmulatorOptions,
  EmulatorStats,
  FaultOutcome,
  IamUser,
  ReportApi,
  RequestLogEntry,
  StoredRecord,
  TokenSpecification,
} from './types.ts';
export { version } from './version.ts';
