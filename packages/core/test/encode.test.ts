import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addNanoseconds,
  fromMilliseconds,
  fromNanoseconds,
  MonotonicCursor,
  toDigits,
} from '../src/clock.ts';
import {
  encodeString,
  envelopeBytes,
  flatten,
  highAccuracyBody,
  joinUtf8,
  standardBody,
  truncateToFit,
  utf8Length,
  worstCaseLiteralBytes,
} from '../src/encode.ts';

describe('time digits', () => {
  it('writes nanoseconds beyond 2^53 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 9_999_999_999_999_999_999n }), (value) => {
        expect(toDigits(fromNanoseconds(value))).toBe(value.toString());
      }),
    );
    expect(toDigits(fromNanoseconds(1_700_000_000_123_456_789n))).toBe('1700000000123456789');
  });

  it('keeps fractional milliseconds to the nanosecond', () => {
    expect(toDigits(fromMilliseconds(1_700_000_000_123.5))).toBe('1700000000123500000');
    expect(toDigits(fromMilliseconds(1_700_000_000_123))).toBe('1700000000123000000');
  });

  it('adds nanoseconds across a millisecond boundary', () => {
    expect(toDigits(addNanoseconds(fromNanoseconds(1_700_000_000_000_999_999n), 2))).toBe(
      '1700000000001000001',
    );
  });

  it('never goes backwards or repeats', () => {
    const cursor = new MonotonicCursor();
    const first = cursor.next(fromMilliseconds(1000));
    const second = cursor.next(fromMilliseconds(999));
    const third = cursor.next(fromMilliseconds(1000));
    expect([first, second, third].map(toDigits)).toEqual([
      '1000000000',
      '1000000001',
      '1000000002',
    ]);
    cursor.skip(third, 10);
    expect(toDigits(cursor.next(fromMilliseconds(1000)))).toBe('1000000012');
  });
});

describe('bodies', () => {
  it('builds the standard body with exact integer time and labels', () => {
    const body = standardBody(
      fromNanoseconds(1_700_000_000_123_456_789n),
      ['a', 'b\n'],
      '{"app":"x"}',
    );
    expect(body.toString('utf8')).toBe(
      '{"log_time_ns":1700000000123456789,"contents":["a","b\\n"],"labels":{"app":"x"}}',
    );
    expect(JSON.parse(body.toString('utf8')).contents).toEqual(['a', 'b\n']);
  });

  it('builds the high-accuracy body with a time per entry', () => {
    const times = [
      fromNanoseconds(1_700_000_000_000_000_001n),
      fromNanoseconds(1_700_000_000_000_000_002n),
    ];
    expect(highAccuracyBody(['x', 'y'], times, '{}').toString('utf8')).toBe(
      '{"contents":[{"log_time_ns":1700000000000000001,"log":"x"},{"log_time_ns":1700000000000000002,"log":"y"}],"labels":{}}',
    );
  });

  it('keeps every content intact in high-accuracy bodies, whatever quotes and backslashes it holds', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', minLength: 1 }),
            // Mostly the characters that matter to the encoding.
            fc.string({ unit: fc.constantFrom('"', '\\', ',', 'a'), minLength: 1 }),
          ),
          { minLength: 1, maxLength: 30 },
        ),
        (contents) => {
          const times = contents.map((_, index) =>
            fromNanoseconds(1_700_000_000_000_000_000n + BigInt(index)),
          );
          const parsed = JSON.parse(highAccuracyBody(contents, times, '{}').toString('utf8'));
          expect(parsed.contents.map((entry: { log: string }) => entry.log)).toEqual(contents);
        },
      ),
      { numRuns: 500 },
    );
    // A content ending in `",` once split the encoded array in the wrong place.
    const tricky = ['","', 'end\\', '"', '\\","\\', '\u2028', 'say "hi",', '\\",', 'a\\\\",'];
    const times = tricky.map(() => fromNanoseconds(1n));
    expect(
      JSON.parse(highAccuracyBody(tricky, times, '{}').toString('utf8')).contents.map(
        (entry: { log: string }) => entry.log,
      ),
    ).toEqual(tricky);
  });

  it('counts the envelope exactly (with a 19-digit time)', () => {
    const labels = '{"app":"é"}';
    const body = standardBody(fromNanoseconds(1_700_000_000_000_000_000n), [], labels);
    expect(envelopeBytes('standard', labels)).toBe(body.length);
    expect(envelopeBytes('high-accuracy', labels)).toBe(
      utf8Length('{"contents":[],"labels":{"app":"é"}}'),
    );
  });

  it('encodes any string into well-formed JSON that decodes to the same string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const encoded = encodeString(value);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
        expect(encoded).not.toMatch(/[\u0000-\u001f]/);
        expect(encoded).not.toMatch(
          /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        );
        expect(JSON.parse(encoded)).toBe(value);
        expect(utf8Length(encoded)).toBeLessThanOrEqual(worstCaseLiteralBytes(value.length));
      }),
    );
  });
});

describe('joinUtf8', () => {
  it('gives the UTF-8 bytes of the joined parts, ASCII or not', () => {
    const samples = ['{"a":1}', 'café', '日本', '😀', '\ud800 lone', '\u007f\u0080', ''];
    expect(joinUtf8(samples)).toEqual(Buffer.from(samples.join(''), 'utf8'));
    for (const value of samples) expect(joinUtf8([value])).toEqual(Buffer.from(value, 'utf8'));
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }), (parts) => {
        expect(joinUtf8(parts)).toEqual(Buffer.from(parts.join(''), 'utf8'));
      }),
    );
  });
});

describe('flatten', () => {
  it('leaves the string as it was', () => {
    let rope = '';
    for (let index = 0; index < 50; index++) rope += `{"piece":${index}}`;
    const before = rope.slice();
    flatten(rope);
    expect(rope).toBe(before);
    expect(JSON.parse(JSON.stringify(rope))).toBe(before);
  });
});

describe('truncateToFit', () => {
  it('cuts to the byte budget with a visible marker and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 60, maxLength: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (value, fraction) => {
          const encodedBytes = utf8Length(encodeString(value));
          const budget = 80 + Math.floor(fraction * (encodedBytes - 80));
          fc.pre(encodedBytes > budget);
          const cut = truncateToFit(value, budget);
          expect(utf8Length(encodeString(cut))).toBeLessThanOrEqual(budget);
          expect(cut).toMatch(/…\[truncated by logtank: \d+ bytes\]$/);
          const kept = cut.slice(0, cut.lastIndexOf('…[truncated'));
          expect(value.startsWith(kept)).toBe(true);
          expect(kept).not.toMatch(/[\ud800-\udbff]$/);
        },
      ),
    );
  });

  it('keeps most of a huge line', () => {
    const line = 'x'.repeat(10 * 1024 * 1024);
    const cut = truncateToFit(line, 512 * 1024);
    expect(utf8Length(encodeString(cut))).toBeLessThanOrEqual(512 * 1024);
    expect(cut.length).toBeGreaterThan(500 * 1024);
    // The marker gives the record's own size in UTF-8 bytes.
    expect(cut).toContain(`[truncated by logtank: ${10 * 1024 * 1024} bytes]`);
  });
});
