import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeJsonStringify } from '../src/index.ts';

describe('safeJsonStringify', () => {
  it('handles cycles, BigInt, Symbols, Maps and Sets', () => {
    const value: Record<string, unknown> = {
      n: 10n,
      s: Symbol('tag'),
      m: new Map([['a', 1]]),
      set: new Set([1, 2]),
    };
    value.self = value;
    value.list = [value, 1];
    expect(JSON.parse(safeJsonStringify(value))).toEqual({
      n: '10',
      s: 'Symbol(tag)',
      m: { a: 1 },
      set: [1, 2],
      self: '[Circular]',
      list: ['[Circular]', 1],
    });
  });

  it('keeps an Error’s name, message, stack, cause and own fields', () => {
    const cause = new Error('root cause');
    const error = Object.assign(new TypeError('outer', { cause }), { code: 'E_OUTER' });
    const parsed = JSON.parse(safeJsonStringify({ error }));
    expect(parsed.error).toMatchObject({
      name: 'TypeError',
      message: 'outer',
      code: 'E_OUTER',
      cause: { name: 'Error', message: 'root cause' },
    });
    expect(parsed.error.stack).toContain('TypeError: outer');
  });

  it('survives getters and toJSON methods that throw', () => {
    const hostile = {
      get boom(): never {
        throw new Error('no reading');
      },
      inner: {
        toJSON(): never {
          throw new Error('no json');
        },
      },
      ok: 1,
    };
    expect(JSON.parse(safeJsonStringify(hostile))).toEqual({
      boom: '[getter threw: no reading]',
      inner: '[toJSON threw: no json]',
      ok: 1,
    });
  });

  it('reads boxed primitives as their values, as JSON.stringify does', () => {
    expect(safeJsonStringify({ flag: Object(false), count: Object(3), name: Object('x') })).toBe(
      '{"flag":false,"count":3,"name":"x"}',
    );
  });

  it('keeps a __proto__ key as a field (JSON.parse makes them), like JSON.stringify', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"b":2,"nested":{"__proto__":[]}}');
    expect(safeJsonStringify(parsed)).toBe(JSON.stringify(parsed));
    expect(safeJsonStringify([parsed])).toBe(JSON.stringify([parsed]));
  });

  it('matches JSON.stringify on plain JSON values and never throws on anything', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(safeJsonStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true }),
        (value) => {
          expect(() => JSON.parse(safeJsonStringify(value))).not.toThrow();
        },
      ),
    );
  });
});
