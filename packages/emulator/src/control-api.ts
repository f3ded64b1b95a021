import type { IncomingMessage } from 'node:http';
import type { FaultDescription, Faults } from './faults.ts';
import { applyMetadataControl, type MetadataControls } from './metadata-service.ts';
import { readBody } from './request-body.ts';
import type { RecordStore } from './store.ts';
import type { EmulatorStats, RequestLogEntry } from './types.ts';

/** What the control API reads and changes. */
export interface ControlState {
  store: RecordStore;
  requestLog: readonly RequestLogEntry[];
  stats: () => EmulatorStats;
  clear: () => void;
  faults: Faults;
  metadata: MetadataControls | undefined;
}

/** One control request, its body already read. */
export interface ControlRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

/** Reads a control request's body (at most 1 MiB; a larger one counts as empty). */
export async function readControlRequest(
  request: IncomingMessage,
  path: string,
): Promise<ControlRequest | 'aborted'> {
  const raw = await readBody(request, 1024 * 1024);
  if (raw === 'aborted') return 'aborted';
  return {
    method: request.method ?? 'GET',
    path,
    query: new URL(request.url ?? '/', 'http://emulator').searchParams,
    body: raw === 'too-large' ? '' : raw.toString('utf8'),
  };
}

/** An answer of the control API: a status and a JSON body. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** Answers the HTTP control API (`/_emulator/*`), for apps in other processes. */
export function answerControl(state: ControlState, request: ControlRequest): ControlAnswer {
  const { method, path, query } = request;
  switch (`${method} ${path.replace(/\/$/, '')}`) {
    case 'GET /_emulator/health':
      return { status: 200, body: { status: 'ok' } };
    case 'GET /_emulator/records': {
      // A typo in a filter must not quietly return everything (or nothing).
      const known = ['projectId', 'logGroupId', 'logStreamId', 'api', 'credential'];
      const allowed: Record<string, readonly string[]> = {
        api: ['standard', 'high-accuracy', 'batch'],
        credential: ['token', 'access-key', 'temporary-key'],
      };
      const filter: Record<string, string> = {};
      for (const [name, value] of query) {
        if (!known.includes(name)) {
          return {
            status: 400,
            body: { error: `Unknown records filter "${name}"; filter by ${known.join(', ')}.` },
          };
        }
        if (allowed[name] !== undefined && !allowed[name].includes(value)) {
          return {
            status: 400,
            body: { error: `${name} must be one of ${allowed[name].join(', ')}; got "${value}".` },
          };
        }
        filter[name] = value;
      }
      const records = state.store
        .list(filter)
        .map((stored) => ({ ...stored, timeNs: stored.timeNs.toString() }));
      return { status: 200, body: records };
    }
    case 'DELETE /_emulator/records':
      state.clear();
      return { status: 200, body: { cleared: true } };
    case 'GET /_emulator/requests':
      return { status: 200, body: state.requestLog };
    case 'GET /_emulator/stats':
      return { status: 200, body: state.stats() };
    case 'GET /_emulator/faults':
      return { status: 200, body: state.faults.describe() };
    case 'DELETE /_emulator/faults':
      state.faults.clear();
      return { status: 200, body: state.faults.describe() };
    case 'POST /_emulator/faults':
      return applyJson(request.body, 'fault description', (description) => {
        state.faults.apply(description as FaultDescription);
        return state.faults.describe();
      });
    case 'GET /_emulator/metadata':
      if (state.metadata === undefined) return metadataNotRunning;
      return { status: 200, body: state.metadata.snapshot() };
    case 'POST /_emulator/metadata': {
      const metadata = state.metadata;
      if (metadata === undefined) return metadataNotRunning;
      return applyJson(request.body, 'metadata control', (description) => {
        applyMetadataControl(metadata, description);
        return metadata.snapshot();
      });
    }
    default:
      return { status: 404, body: { error: `No such control route: ${method} ${path}` } };
  }
}

const metadataNotRunning: ControlAnswer = {
  status: 404,
  body: { error: 'The metadata stand-in is not running (start the emulator with metadata: true).' },
};

/** Parses a JSON body and applies it; 400 naming the problem when it is not JSON or `apply` throws. */
function applyJson(
  text: string,
  name: string,
  apply: (description: unknown) => unknown,
): ControlAnswer {
  let description: unknown;
  try {
    description = JSON.parse(text);
  } catch (error) {
    return {
      status: 400,
      body: { error: `The ${name} is not valid JSON: ${(error as Error).message}` },
    };
  }
  try {
    return { status: 200, body: apply(description) };
  } catch (error) {
    return { status: 400, body: { error: (error as Error).message } };
  }
}
