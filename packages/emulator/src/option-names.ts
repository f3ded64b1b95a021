/**
 * Refusing options by name, for `startEmulator()` and the CLI: an unknown
 * name is named with the known ones and, when one is close, a suggestion.
 */

/**
 * The known name `name` was probably meant to be: the same but for case, or
 * two edits away (as `closestName` in @logtank/core, which the emulator does
 * not depend on).
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let closest: string | undefined;
  let closestDistance = 3;
  // The nearest wins.
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

/** ` (did you mean x?)` when a known name is close to `name`, else nothing. */
export function suggestion(name: string, known: readonly string[], prefix = ''): string {
  const closest = closestName(name, known);
  return closest === undefined ? '' : ` (did you mean ${prefix}${closest}?)`;
}

/**
 * Throws a TypeError naming the first key of `given` that is not in `known`
 * (a misspelt option would silently do nothing), with a suggestion and the
 * known names. `path` is where the object sits: '' for the options
 * themselves, else e.g. `accessKeys[0]` or `metadata`.
 */
export function refuseUnknownKeys(given: object, known: readonly string[], path: string): void {
  const unknown = Object.keys(given).find((name) => !known.includes(name));
  if (unknown === undefined) return;
  const at = path === '' ? '' : `${path}.`;
  throw new TypeError(
    `startEmulator: unknown option ${at}${unknown}${suggestion(unknown, known, at)}; the options${path === '' ? '' : ` of ${path}`} are ${known.join(', ')}.`,
  );
}

/**
 * What a value is, with the right article ("an object", "a string"), for
 * "must be …; got …" messages. Never the value itself: it may be a secret.
 */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  const kind = typeof value;
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** Whether a value is a plain options object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
