import fc from 'fast-check';

/** Characters that break naive encoders: NUL, controls, lone surrogates, separators, quotes. */
const awkwardCharacter = fc.oneof(
  fc.constantFrom('\u0000', '\u0001', '\u001b', '\u007f', '\ud800', '\udbff', '\udc00', '\udfff'),
  fc.constantFrom('\u2028', '\u2029', '"', '\\', '\n', '\r', '\t', '🎉', 'ü', '日'),
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);

/** Strings of any UTF-16 code units, awkward ones over-represented. */
export const hostileString = fc.string({ unit: awkwardCharacter, maxLength: 200 });

/** A value that is not a string: what label fields and metadata end up holding. */
export const nonStringValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.constant(Symbol('label')),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** What to do to a plain object to make it hostile. */
export interface Hostility {
  cycle: boolean;
  bigint: boolean;
  symbol: boolean;
  throwingGetter: boolean;
  error: boolean;
}

export const hostility: fc.Arbitrary<Hostility> = fc.record({
  cycle: fc.boolean(),
  bigint: fc.boolean(),
  symbol: fc.boolean(),
  throwingGetter: fc.boolean(),
  error: fc.boolean(),
});

/** Builds a fresh hostile object (a cycle cannot be described as data, so it is made here). */
export function hostileObject(
  base: Record<string, unknown>,
  how: Hostility,
): Record<string, unknown> {
  const value: Record<string, unknown> = { ...base };
  if (how.cycle) {
    value.self = value;
    value.nested = { parent: value };
  }
  if (how.bigint) value.big = 12345678901234567890n;
  if (how.symbol) {
    value.symbolValue = Symbol('value');
    value[Symbol('key') as unknown as string] = 'symbol-keyed';
  }
  if (how.throwingGetter) {
    Object.defineProperty(value, 'explosive', {
      enumerable: true,
      get() {
        throw new Error('getter exploded');
      },
    });
  }
  if (how.error) {
    value.error = new Error('outer failure', { cause: new TypeError('inner cause') });
  }
  return value;
}

/** Plain data for the base of a hostile object. */
export const plainObject = fc.dictionary(
  fc
    .string({ minLength: 1, maxLength: 8 })
    .filter((key) => !['self', 'nested', 'level', 'message'].includes(key)),
  fc.oneof(hostileString, fc.integer(), fc.boolean(), fc.constant(null)),
  { maxKeys: 4 },
);
