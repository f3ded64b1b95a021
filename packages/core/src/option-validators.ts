import { LtsOptionsError } from './errors.ts';

/*
 * The checks every option goes through, each throwing an LtsOptionsError
 * that names the field and what was expected. Secrets are never echoed.
 */

/** An absolute http(s) URL without credentials, query, fragment or dot segments. */
export function parseEndpoint(name: string, value: unknown, missing = 'is required'): URL {
  if (value === undefined) throw new LtsOptionsError(name, missing);
  if (typeof value !== 'string') {
    throw new LtsOptionsError(name, `must be a URL string; got ${describe(value, name)}`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LtsOptionsError(
      name,
      'must be an absolute http:// or https:// URL, e.g. https://192.0.2.10:8102',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new LtsOptionsError(name, `must use https: or http:; got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    // The URL is not echoed: it carries a credential.
    throw new LtsOptionsError(
      name,
      'must not contain credentials (user:password@); authenticate with the credential options instead',
    );
  }
  if (url.search !== '' || url.hash !== '') {
    throw new LtsOptionsError(name, 'must not have a query string or fragment');
  }
  // new URL() already resolved literal dot segments; reject them and their encoded forms outright.
  if (/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\\/i.test(value.slice(url.origin.length))) {
    throw new LtsOptionsError(
      name,
      'must not contain dot segments or encoded separators in its path',
    );
  }
  return url;
}

/** An id of a fixed shape (project, log group, log stream). */
export function requireId(
  name: string,
  value: unknown,
  pattern: RegExp,
  expected: string,
  environmentName?: string,
): string {
  if (value === undefined) {
    throw new LtsOptionsError(
      name,
      `is required: ${expected}${environmentName ? ` (or set ${environmentName})` : ''}`,
    );
  }
  if (typeof value !== 'string') {
    throw new LtsOptionsError(name, `must be ${expected}; got ${describe(value, name)}`);
  }
  if (!pattern.test(value)) {
    throw new LtsOptionsError(
      name,
      `must be ${expected}; got ${value.length} characters${/[^A-Za-z0-9-]/.test(value) ? ' including characters outside [A-Za-z0-9-]' : ''}`,
    );
  }
  return value;
}

export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LtsOptionsError(name, `must be a non-empty string; got ${describe(value, name)}`);
  }
  return value;
}

/** A secret that goes into a header: non-empty printable ASCII; the value is never shown. */
export function requireHeaderSecret(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LtsOptionsError(name, `must be a non-empty string; got ${describeSecret(value)}`);
  }
  if (!isHeaderSafe(value)) {
    throw new LtsOptionsError(
      name,
      'must not contain spaces, line breaks or control characters (is it quoted or wrapped?)',
    );
  }
  // A .env file's quotes kept as part of the value fail only later, as a refused signature.
  if (/^(["'`]).*\1$/s.test(value)) {
    throw new LtsOptionsError(name, 'is wrapped in quotes: give the value without them');
  }
  return value;
}

/**
 * An access key id (AK). A value shaped like a secret key (40 characters,
 * lower case among them) means id and secret were swapped: refused before
 * the SK goes out in clear as the `Access=` of a signature.
 */
export function requireAccessKeyId(name: string, value: unknown): string {
  const id = requireHeaderSecret(name, value);
  if (id.length === 40 && /[a-z]/.test(id)) {
    throw new LtsOptionsError(
      name,
      'looks like a secret access key (SK: 40 characters, lower case among them), not an access key id (AK: upper-case letters and digits): are the id and the secret swapped?',
    );
  }
  return id;
}

/** A region name such as `cn-north-4`. */
export function regionName(name: string, value: unknown): string {
  const region = requireString(name, value);
  if (!/^[a-z0-9-]+$/.test(region)) {
    throw new LtsOptionsError(
      name,
      `must be a region name such as cn-north-4; got ${describe(value, name)}`,
    );
  }
  return region;
}

export function labelsOption(name: string, value: unknown): Record<string, string> {
  const labels = optionalObject<Record<string, unknown>>(name, value) ?? {};
  // Prototype-less, so that a label named `__proto__` stays a label.
  const result: Record<string, string> = Object.create(null);
  for (const [key, label] of Object.entries(labels)) {
    if (key.length === 0) {
      throw new LtsOptionsError(name, 'must not have an empty label name');
    }
    if (typeof label !== 'string') {
      throw new LtsOptionsError(
        `${name}.${key}`,
        `must be a string; got ${describe(label, `${name}.${key}`)}`,
      );
    }
    result[key] = label;
  }
  return result;
}

export function oneOf<const T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  throw new LtsOptionsError(
    name,
    `must be one of ${allowed.map((entry) => `'${entry}'`).join(', ')}; got ${describe(value, name)}`,
  );
}

export function number(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number },
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new LtsOptionsError(name, `must be a number; got ${describe(value, name)}`);
  }
  if (value < range.min || value > range.max) {
    throw new LtsOptionsError(name, `must be between ${range.min} and ${range.max}; got ${value}`);
  }
  return value;
}

export function integer(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number },
): number {
  const result = number(name, value, fallback, range);
  if (!Number.isInteger(result)) {
    throw new LtsOptionsError(name, `must be an integer; got ${result}`);
  }
  return result;
}

export function optionalObject<T extends object>(name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    throw new LtsOptionsError(name, `must be an object; got ${describe(value, name)}`);
  }
  return value as T;
}

/** A typo in a nested option (`retry.maxAttempt`) must not be ignored silently. */
export function onlyKnownKeys(name: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const suggestion = closestName(key, known);
      throw new LtsOptionsError(
        `${name}.${key}`,
        `is not ${withArticle(name)} option (${known.join(', ')})${suggestion ? `; did you mean ${name}.${suggestion}?` : ''}`,
      );
    }
  }
}

export function optionalFunction<T>(name: string, value: unknown, hint = ''): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') {
    throw new LtsOptionsError(name, `must be a function; got ${describe(value, name)}${hint}`);
  }
  return value as T;
}

export function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Visible ASCII only: what a header value may carry without quoting. */
function isHeaderSafe(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/** A trimmed environment value, or undefined when unset or blank. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Options whose values may be or hold a secret (a token, an SK, a password,
 * a proxy URL with credentials), as their fields do: a message shows only
 * the type, even for a value in the wrong place (`accessKey: process.env.HUAWEICLOUD_SDK_SK`).
 */
const secretOption =
  /^(token|tokenProvider|accessKey|accessKeyProvider|ecsMetadata|iam|proxy)(\.|\[|$)/;

/**
 * Describes a value by type, and a short value when it is not under a
 * secret option (`name`), for error messages.
 */
export function describe(value: unknown, name?: string): string {
  if (name !== undefined && secretOption.test(name)) return describeSecret(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return withArticle(typeof value);
}

/** `a string`, `an object`, `an iam`: for messages that name a type or an option. */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`;
}

/** Like {@link describe}, but never shows the value. */
export function describeSecret(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string';
  return Array.isArray(value) ? 'an array' : withArticle(typeof value);
}

/**
 * The known name `name` was probably meant to be: the same but for case, or
 * two edits away. For adapters' and CLIs' "did you mean" messages, so that
 * every package suggests alike.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let closest: string | undefined;
  let closestDistance = 3;
  // The nearest wins (`label` is one edit from labels, two from level).
  for (const candidate of candidates) {
    const distance = editDistance(candidate.toLowerCase(), lower);
    if (distance < closestDistance) {
      closest = candidate;
      closestDistance = distance;
    }
  }
  return closest;
}

/** Levenshtein distance, for suggestions; names are short. */
function editDistance(left: string, right: string): number {
  if (Math.abs(left.length - right.length) > 2) return 3;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let row = 1; row <= left.length; row++) {
    const current = [row];
    for (let column = 1; column <= right.length; column++) {
      current[column] = Math.min(
        previous[column]! + 1,
        current[column - 1]! + 1,
        previous[column - 1]! + (left[row - 1] === right[column - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[right.length]!;
}
