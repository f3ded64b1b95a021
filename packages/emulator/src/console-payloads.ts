import {
  type ConsoleControls,
  type ConsoleFaults,
  type ConsoleRecord,
  type ConsoleRequest,
  consoleContentLimit,
} from './console-protocol.ts';
import type { Faults } from './faults.ts';
import type { MetadataControls } from './metadata-service.ts';
import type { SequencedRecord } from './store.ts';
import type { RequestLogEntry } from './types.ts';

/** A stored record as the console receives it: time as digits, long content cut. */
export function consoleRecord({ record, sequence }: SequencedRecord): ConsoleRecord {
  const cut = record.content.length > consoleContentLimit;
  return {
    sequence,
    timeNs: record.timeNs.toString(),
    labels: record.labels,
    api: record.api,
    credential: record.credential,
    content: cut ? record.content.slice(0, consoleContentLimit) : record.content,
    ...(cut ? { contentLength: record.content.length } : {}),
    requestId: record.requestId,
    projectId: record.projectId,
    logGroupId: record.logGroupId,
    logStreamId: record.logStreamId,
  };
}

/** A request log entry as the console receives it (it holds fingerprints and AKs, never a secret). */
export function consoleRequest(entry: RequestLogEntry): ConsoleRequest {
  return { ...entry, time: entry.time.toISOString() };
}

/** The newest `limit` requests of the log that are not the control API's, newest first. */
export function newestRequests(log: readonly RequestLogEntry[], limit: number): ConsoleRequest[] {
  const requests: ConsoleRequest[] = [];
  for (let index = log.length - 1; index >= 0 && requests.length < limit; index -= 1) {
    const entry = log[index]!;
    if (entry.route !== 'control') requests.push(consoleRequest(entry));
  }
  return requests;
}

/** What the fault controls show: active faults, known tokens by fingerprint, the metadata stand-in. */
export function consoleControls(
  faults: Faults,
  metadata: MetadataControls | undefined,
): ConsoleControls {
  const snapshot = metadata?.snapshot();
  return {
    faults: faults.describe() as unknown as ConsoleFaults,
    tokens: faults.knownTokens(),
    metadata:
      snapshot === undefined
        ? null
        : {
            url: snapshot.url,
            tokenApi: snapshot.tokenApi,
            agency: snapshot.agency,
            keyLifetimeMs: snapshot.keyLifetimeMs,
            issuedKeys: snapshot.issuedKeys,
            activeKeys: snapshot.activeKeys,
            currentKey: snapshot.currentKey,
            keys: snapshot.keys,
          },
  };
}

/** One server-sent event. `data` is one line: JSON escapes line breaks. */
export function serverSentEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
