import { LtsOptionsError } from './errors.ts';
import { closestName, describeSecret } from './option-validators.ts';
import { clientOptionNames, splitClientOptions } from './options.ts';
import type { LtsClientOptions } from './types.ts';

/** What an adapter accepts besides the client's options. */
export interface AdapterOptionNames {
  /** The package, for messages: `@logtank/winston`. */
  adapter: string;
  /** The adapter's own options, e.g. `labelKeys`, `level`. */
  own: readonly string[];
  /** Names its framework adds to the options it passes on, accepted and ignored. */
  ignored?: readonly string[];
  /** Own options the framework passes on, accepted but not offered in messages. */
  unlisted?: readonly string[];
}

/**
 * Splits an adapter's options into the client's and its own, and refuses an
 * unknown name with a suggestion (`labelkeys` → `labelKeys`), as the client
 * refuses its own: one policy for every adapter. Throws {@link LtsOptionsError}.
 */
export function splitAdapterOptions(
  options: unknown,
  names: AdapterOptionNames,
): { client: LtsClientOptions; own: Record<string, unknown> } {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new LtsOptionsError('object', `must be an object of ${names.adapter} options`);
  }
  const { client, rest } = splitClientOptions(options as Record<string, unknown>);
  const own: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rest)) {
    if (names.own.includes(name) || names.unlisted?.includes(name)) own[name] = value;
    else if (!names.ignored?.includes(name)) {
      const suggestion = closestName(name, [...names.own, ...clientOptionNames]);
      throw new LtsOptionsError(
        name,
        `is not an option of ${names.adapter} (${names.own.join(', ')}) nor of the logtank client${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      );
    }
  }
  return { client, own };
}

/**
 * A list of field names (`labelKeys`): an array of non-empty strings, each
 * one of `allowed` when given; duplicates removed. Throws {@link LtsOptionsError}.
 */
export function fieldNamesOption(
  name: string,
  value: unknown,
  allowed?: readonly string[],
): string[] {
  if (value === undefined) return [];
  const expected =
    allowed === undefined
      ? 'an array of field names, e.g. ["level"]'
      : `an array of ${allowed.map((entry) => JSON.stringify(entry)).join(' and/or ')}`;
  if (!Array.isArray(value)) {
    throw new LtsOptionsError(name, `must be ${expected}; got ${describeSecret(value)}`);
  }
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || entry.length === 0) {
      throw new LtsOptionsError(`${name}[${index}]`, 'must be a non-empty field name');
    }
    if (allowed !== undefined && !allowed.includes(entry)) {
      throw new LtsOptionsError(
        `${name}[${index}]`,
        `must be ${allowed.map((entry) => JSON.stringify(entry)).join(' or ')}; got ${JSON.stringify(entry)}`,
      );
    }
  });
  return [...new Set(value as string[])];
}
