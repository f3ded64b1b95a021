import type { CredentialKind, Emulator, ReportApi, SignatureAlgorithm } from '@logtank/emulator';
import { expect } from 'vitest';

/** The algorithm Huawei's gateway expects on each report route. */
function algorithmOf(api: ReportApi): SignatureAlgorithm {
  return api === 'batch' ? 'V11-HMAC-SHA256' : 'SDK-HMAC-SHA256';
}

/** Every stored record came on `api`, authenticated as `credential`, every request signed for that route. */
export function expectSignedOn(
  emulator: Emulator,
  api: ReportApi,
  credential: CredentialKind = 'access-key',
): void {
  const records = emulator.records();
  expect(new Set(records.map((record) => record.credential))).toEqual(new Set([credential]));
  expect(new Set(records.map((record) => record.api))).toEqual(new Set([api]));
  expect(new Set(emulator.requests().map((request) => request.credential?.algorithm))).toEqual(
    new Set([algorithmOf(api)]),
  );
}

/**
 * The ECS/CCE agency's keys were rotated: every record came with a temporary
 * key, the metadata stand-in handed out more than one, and more than one was
 * accepted.
 */
export function expectKeysRotated(emulator: Emulator): void {
  expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
    new Set(['temporary-key']),
  );
  expect(emulator.metadata!.issuedKeys()).toBeGreaterThan(1);
  const keysUsed = new Set(
    emulator
      .requests()
      .filter((request) => request.status === 200)
      .map((request) => request.credential?.id),
  );
  expect(keysUsed.size).toBeGreaterThan(1);
}
