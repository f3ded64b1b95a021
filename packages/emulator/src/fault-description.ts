import type { FaultOutcome, ReportApi } from './types.ts';

/** The JSON accepted by `POST /_emulator/faults`. */
export interface FaultDescription {
  enqueue?: FaultOutcome[];
  failureRate?: FailureRateDescription;
  /** Replaces every failure rate set so far (`[]` removes them); `failureRate` adds one. */
  failureRates?: FailureRateDescription[];
  latencyMs?: number;
  hang?: { count?: number };
  drop?: { when: 'before-body' | 'after-body'; count?: number };
  /**
   * One token, by the token itself or by its fingerprint (`tokenId`, as the
   * request log shows it: the token must be known, i.e. given, issued or
   * presented before). `at`: epoch ms or an ISO date string.
   */
  expireToken?:
    | { token: string; at?: number | string; afterRequests?: number }
    | { tokenId: string; at?: number | string; afterRequests?: number };
  expireTokens?: { at?: number | string; afterRequests?: number };
}

/** A random failure: `probability` (0 to 1) of answering `status`, reproducible by `seed`. */
export interface FailureRateDescription {
  status: number;
  probability: number;
  seed?: number;
  api?: ReportApi;
}

const kinds = [
  'enqueue',
  'failureRate',
  'failureRates',
  'latencyMs',
  'hang',
  'drop',
  'expireToken',
  'expireTokens',
] as const;
const dropMoments = ['before-body', 'after-body'];
const apis = ['standard', 'high-accuracy', 'batch'];

/**
 * Checks a fault description received over HTTP, so that a typo (`latency`
 * for `latencyMs`, `"503"` for 503) is a 400 naming the field instead of a
 * fault that silently never happens.
 */
export function checkFaultDescription(value: unknown): FaultDescription {
  const description = object(value, 'the fault description');
  for (const key of Object.keys(description)) {
    if (!(kinds as readonly string[]).includes(key)) {
      throw new TypeError(`Unknown fault "${key}"; expected one of ${kinds.join(', ')}.`);
    }
  }
  if (description.enqueue !== undefined) {
    if (!Array.isArray(description.enqueue)) throw new TypeError('enqueue must be an array.');
    description.enqueue.forEach((item, index) => {
      outcome(item, `enqueue[${index}]`);
    });
  }
  if (description.failureRate !== undefined) failureRate(description.failureRate, 'failureRate');
  if (description.failureRates !== undefined) {
    if (!Array.isArray(description.failureRates)) {
      throw new TypeError('failureRates must be an array.');
    }
    description.failureRates.forEach((item, index) => {
      failureRate(item, `failureRates[${index}]`);
    });
  }
  if (description.latencyMs !== undefined) milliseconds(description.latencyMs, 'latencyMs');
  if (description.hang !== undefined) {
    count(object(description.hang, 'hang').count, 'hang.count');
  }
  if (description.drop !== undefined) {
    const drop = object(description.drop, 'drop');
    if (!dropMoments.includes(drop.when as string)) {
      throw new TypeError('drop.when must be "before-body" or "after-body".');
    }
    count(drop.count, 'drop.count');
  }
  if (description.expireToken !== undefined) {
    const expiry = object(description.expireToken, 'expireToken');
    if ('tokenId' in expiry && !('token' in expiry)) {
      if (typeof expiry.tokenId !== 'string' || expiry.tokenId === '') {
        throw new TypeError(
          'expireToken.tokenId must be a token fingerprint (a non-empty string).',
        );
      }
    } else if (typeof expiry.token !== 'string' || expiry.token === '') {
      throw new TypeError('expireToken.token must be the token (a non-empty string).');
    } else if ('tokenId' in expiry) {
      throw new TypeError('expireToken takes token or tokenId, not both.');
    }
    when(expiry, 'expireToken');
  }
  if (description.expireTokens !== undefined) {
    when(object(description.expireTokens, 'expireTokens'), 'expireTokens');
  }
  return description as FaultDescription;
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object.`);
  }
  return value as Record<string, unknown>;
}

function failureRate(value: unknown, name: string): void {
  const rate = object(value, name);
  status(rate.status, `${name}.status`);
  if (typeof rate.probability !== 'number' || !(rate.probability >= 0 && rate.probability <= 1)) {
    throw new TypeError(`${name}.probability must be a number from 0 to 1.`);
  }
  if (rate.seed !== undefined && !Number.isInteger(rate.seed)) {
    throw new TypeError(`${name}.seed must be an integer.`);
  }
  api(rate.api, `${name}.api`);
}

function outcome(value: unknown, name: string): void {
  const item = object(value, name);
  api(item.api, `${name}.api`);
  if ('status' in item) status(item.status, `${name}.status`);
  else if ('hang' in item) {
    if (item.hang !== true) throw new TypeError(`${name}.hang must be true.`);
  } else if ('drop' in item) {
    if (!dropMoments.includes(item.drop as string)) {
      throw new TypeError(`${name}.drop must be "before-body" or "after-body".`);
    }
  } else if ('delayMs' in item) milliseconds(item.delayMs, `${name}.delayMs`);
  else {
    throw new TypeError(
      `${name} must be one of {status}, {hang: true}, {drop: "before-body" | "after-body"}, {delayMs}.`,
    );
  }
}

function status(value: unknown, name: string): void {
  if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 599) {
    throw new TypeError(`${name} must be an HTTP status (an integer from 100 to 599).`);
  }
}

function milliseconds(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a number of milliseconds >= 0.`);
  }
}

function count(value: unknown, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || (value as number) < 1)) {
    throw new TypeError(`${name} must be a positive integer (omit it for every request).`);
  }
}

function api(value: unknown, name: string): void {
  if (value !== undefined && !apis.includes(value as string)) {
    throw new TypeError(`${name} must be "standard", "high-accuracy" or "batch".`);
  }
}

function when(value: Record<string, unknown>, name: string): void {
  const at = value.at;
  if (
    at !== undefined &&
    !(typeof at === 'number' && Number.isFinite(at)) &&
    !(typeof at === 'string' && !Number.isNaN(Date.parse(at)))
  ) {
    throw new TypeError(`${name}.at must be epoch milliseconds or an ISO date string.`);
  }
  if (
    value.afterRequests !== undefined &&
    (!Number.isInteger(value.afterRequests) || (value.afterRequests as number) < 0)
  ) {
    throw new TypeError(`${name}.afterRequests must be an integer >= 0.`);
  }
}
