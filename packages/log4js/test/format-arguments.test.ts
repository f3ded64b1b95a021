import { format, inspect } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { fastPathEnabled, formatArguments, formatFast } from '../src/format-arguments.ts';

// The fast path must be indistinguishable from util.format: every case is
// checked against util.format itself, on this Node.

const key = fc.oneof(
  fc.constantFrom('requestId', 'userId', 'route', 'a', '_x', 'k9', 'constructor', '__proto__'),
  fc.stringMatching(/^[a-zA-Z_][a-zA-Z_0-9]{0,12}$/),
  // Keys util.inspect quotes.
  fc.constantFrom('with space', '9lives', 'dash-ed', "it's", ''),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom("it's", 'say "hi"', 'back\\slash', 'line\nbreak', '\u0085', '\ud800', '%s', '`'),
  fc.integer({ min: 0, max: 120 }).map((length) => 'x'.repeat(length)),
);
const primitive = fc.oneof(
  text,
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 5e-7),
  fc.boolean(),
  fc.bigInt(),
  fc.constant(null),
  fc.constant(undefined),
);
const flatObject = fc.dictionary(key, primitive, { maxKeys: 12 });
const argument = fc.oneof(
  { weight: 4, arbitrary: flatObject },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: primitive },
  // Shapes the fast path must leave to util.format.
  { weight: 1, arbitrary: fc.array(primitive, { maxLength: 3 }) },
  { weight: 1, arbitrary: flatObject.map((fields) => ({ nested: fields })) },
  { weight: 1, arbitrary: flatObject.map((fields) => Object.assign(Object.create(null), fields)) },
);

/** A call's result, or the error it threw (util.format throws for some inputs, such as '%i' of a null-prototype object). */
function outcome(call: () => string): string {
  try {
    return `returned ${call()}`;
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

describe('formatArguments', () => {
  const saved = { ...inspect.defaultOptions };
  afterEach(() => {
    inspect.defaultOptions = saved;
  });

  it('is on for this Node (its self-check against util.format passed)', () => {
    expect(fastPathEnabled).toBe(true);
    expect(formatFast(['placed', { requestId: 'req-1', status: 200 }])).toBe(
      "placed { requestId: 'req-1', status: 200 }",
    );
  });

  it('writes what util.format writes, for any arguments', () => {
    let fast = 0;
    fc.assert(
      fc.property(text, fc.array(argument, { maxLength: 4 }), (first, rest) => {
        if (formatFast([first, ...rest]) !== '') fast += 1;
        expect(outcome(() => formatArguments([first, ...rest]))).toBe(
          outcome(() => format(first, ...rest)),
        );
      }),
      { numRuns: 3000 },
    );
    // The comparison means something only if the fast path answered a good share of the calls.
    expect(fast).toBeGreaterThan(300);
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 4 }), (args) => {
        expect(outcome(() => formatArguments(args))).toBe(outcome(() => format(...args)));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes what util.format writes around the 80-column line break', () => {
    for (let length = 0; length < 90; length++) {
      for (const fields of [
        { a: 'x'.repeat(length) },
        { a: 'x'.repeat(length), b: 1 },
        { requestId: 'req-1', value: 'y'.repeat(length), status: 200, ok: true },
      ]) {
        expect(formatArguments(['m', fields])).toBe(format('m', fields));
      }
    }
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`k${index}`, index]));
    expect(formatArguments(['m', many])).toBe(format('m', many));
  });

  it('leaves getters, symbols, proxies, class instances and format specifiers to util.format', () => {
    let reads = 0;
    const getter = {
      get value() {
        reads += 1;
        return 1;
      },
    };
    const calls: unknown[][] = [
      ['m', getter],
      ['m', { [Symbol('s')]: 1, a: 2 }],
      ['m', new Proxy({ a: 1 }, {})],
      [
        'm',
        new (class Point {
          x = 1;
        })(),
      ],
      ['%s and %d', 'text', 5],
      ['m', new Date(0)],
      ['m', new Error('boom')],
    ];
    for (const args of calls) expect(formatArguments(args)).toBe(format(...args));
    // util.inspect writes [Getter] without calling it; so does the fallback.
    expect(reads).toBe(0);
  });

  it('follows an app that changed util.inspect.defaultOptions', () => {
    const fields = { b: 1, a: 'x'.repeat(50), c: 3 };
    inspect.defaultOptions = { breakLength: 200, sorted: true };
    expect(formatArguments(['m', fields])).toBe(format('m', fields));
    expect(formatArguments(['m', fields])).toContain("{ a: 'x");
  });
});
