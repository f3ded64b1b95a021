/**
 * @logtank/emulator: a faithful local Huawei Cloud LTS report endpoint for
 * development, tests and demos.
 * @packageDocumentation
 */
export type { TemporaryKeySummary } from './access-keys.ts';
export type {
  EmulatorAccessKeyClientOptions,
  EmulatorClientOptions,
  EmulatorClientOptionsOverrides,
  EmulatorConnectionOptions,
  EmulatorCredentialsChoice,
  EmulatorEcsMetadataClientOptions,
  EmulatorTokenClientOptions,
} from './client-options.ts';
export type {
  ConsoleControls,
  ConsoleCounters,
  ConsoleRecord,
  ConsoleRecordsEvent,
  ConsoleRequest,
  ConsoleRequestsEvent,
  ConsoleSnapshot,
} from './console-protocol.ts';
export type { Emulator } from './emulator-handle.ts';
export type { FailureRateDescription, FaultDecision, FaultDescription } from './faults.ts';
export { Faults } from './faults.ts';
export type { MetadataControls, MetadataSnapshot } from './metadata-service.ts';
export { bodyForStatus, errorCodes, responseBodies } from './responses.ts';
export { type RecordFilter, sampleIds, startEmulator } from './server.ts';
export { scanLogTimes } from './time-scan.ts';
export type { TokenSummary } from './tokens.ts';
export type {
  AccessKey,
  CredentialKind,
  EmulatorOptions,
  EmulatorStats,
  FaultOutcome,
  IamUser,
  MetadataOptions,
  ReportApi,
  RequestCredential,
  RequestLogEntry,
  SignatureAlgorithm,
  StoredRecord,
  TokenSpecification,
} from './types.ts';
export { version } from './version.ts';
