import { safeJsonStringify } from './safe-json.ts';

/**
 * A label value as LTS takes it: plain text. Strings stay as they are, Dates
 * become ISO 8601, numbers, booleans and bigints their `String()`, anything
 * else compact JSON; `undefined`, `null` and functions are left out
 * (undefined). The one rule for every adapter's labels.
 */
export function toLabelValue(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.description ?? 'Symbol()';
    case 'object':
      if (value === null) return undefined;
      if (value instanceof Date) {
        return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      }
      return safeJsonStringify(value);
    default:
      return undefined;
  }
}
