import { format, inspect, types } from 'node:util';

/**
 * `util.format(...args)`, as log4js's layouts format a log call, with a fast
 * path for the most common call, `logger.info('text', { flat: 'fields' })`:
 * util.format is a large part of an event's cost in the log4js benchmark
 * (bench/NOTES.md, "Figures behind the code").
 * The fast path writes exactly what util.inspect writes, and only for what it
 * can be sure of: a first argument without `%`, and further arguments that
 * are strings or plain objects whose own keys are identifiers and whose
 * values are primitives plain enough to need no escaping. Anything else,
 * or changed `util.inspect.defaultOptions`, goes to `util.format` itself; a
 * self-check against `util.format` at load turns the fast path off if this
 * Node formats differently.
 */
export function formatArguments(args: readonly unknown[]): string {
  return (fastPathEnabled && formatFast(args)) || format(...args);
}

/** Keys util.inspect writes without quotes. */
const identifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
/** Characters after which util.inspect escapes or changes quotes: quotes, backslash, controls, surrogates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this finds.
const needsEscaping = /['\\\x00-\x1f\x7f-\x9f\ud800-\udfff]/;
const maxStringLength = 10_000;
/** Keys already found to be identifiers: an app's field names repeat (bounded, so odd keys cannot grow it). */
const identifierKeys = new Set<string>();

/** Whether util.inspect's defaults are the ones the fast path writes (an app may change them). */
function defaultsUnchanged(): boolean {
  const options = inspect.defaultOptions;
  return (
    options.breakLength === 80 &&
    options.maxStringLength === maxStringLength &&
    options.sorted === false &&
    options.showHidden === false &&
    options.getters === false &&
    options.numericSeparator === false
  );
}

/**
 * The fast result, or '' when util.format must do it (util.format never
 * returns '' for these inputs). Exported for the tests.
 */
export function formatFast(args: readonly unknown[]): string {
  const first = args[0];
  if (typeof first !== 'string' || first.length === 0 || first.includes('%')) return '';
  if (args.length > 1 && !defaultsUnchanged()) return '';
  let text = first;
  for (let index = 1; index < args.length; index++) {
    const value = args[index];
    const written = typeof value === 'string' ? value : inspectFlatObject(value);
    if (written === '' && typeof value !== 'string') return '';
    text += ` ${written}`;
  }
  return text;
}

/** util.inspect of a plain object of primitive values, or '' when it is not one. */
function inspectFlatObject(value: unknown): string {
  if (typeof value !== 'object' || value === null || types.isProxy(value)) return '';
  if (Object.getPrototypeOf(value) !== Object.prototype) return '';
  // util.inspect writes enumerable symbol keys too; non-enumerable keys it leaves out, as Object.keys does.
  if (Object.getOwnPropertySymbols(value).length > 0) return '';
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  const entries: string[] = [];
  let length = 0;
  for (const key of keys) {
    if (!identifierKeys.has(key)) {
      // An own __proto__ key is written ['__proto__'].
      if (!identifier.test(key) || key === '__proto__') return '';
      if (identifierKeys.size < 1000) identifierKeys.add(key);
    }
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    // An accessor is written [Getter] and must not be called.
    if (descriptor === undefined || descriptor.get !== undefined || descriptor.set !== undefined) {
      return '';
    }
    const primitive = inspectPrimitive(descriptor.value);
    if (primitive === '') return '';
    const entry = `${key}: ${primitive}`;
    entries.push(entry);
    length += entry.length;
  }
  // util.inspect's "is below break length" for a top-level object: entries,
  // their ", " separators, braces and its fixed allowance of 10 within 80 columns.
  const count = entries.length;
  if (3 * count + 11 <= 80 && length + 2 * count + 11 <= 80) {
    return `{ ${entries.join(', ')} }`;
  }
  return `{\n  ${entries.join(',\n  ')}\n}`;
}

function inspectPrimitive(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length <= maxStringLength && !needsEscaping.test(value) ? `'${value}'` : '';
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    default:
      return value === null ? 'null' : '';
  }
}

/** Calls both ways of formatting must agree on; each shape the fast path takes is here. */
const selfCheckCalls: unknown[][] = [
  ['text'],
  ['text', 'more', 'words'],
  ['text', {}],
  ['text', { a: 1, b: 'two', c: true, d: null, e: undefined, f: -0, g: 1.5, h: 10n }],
  ['text', { requestId: 'req-0001e240', userId: 3456, route: '/api/v1/orders', status: 200 }],
  ['text', { a: 'x'.repeat(70) }, 'tail', { b: 2 }],
  ['text', { _k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10 }],
];

/** False when this Node's util.format disagrees with the fast path on the self-check. */
export const fastPathEnabled = selfCheckCalls.every((args) => formatFast(args) === format(...args));
