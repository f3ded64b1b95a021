import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { keyPrefix, readString, topLevelValueIndex } from '../src/json-fields.ts';
import { LevelNames } from '../src/level-names.ts';
import { LineToRecord } from '../src/line-to-record.ts';
import { TimeReader } from '../src/record-time.ts';

/** Lines a real pino instance writes with these options. */
function pinoLines(
  options: pino.LoggerOptions<string>,
  write: (logger: pino.Logger<string>) => void,
): string[] {
  const chunks: string[] = [];
  const logger = pino(
    options,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    }),
  );
  write(logger);
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line !== '');
}

describe('topLevelValueIndex', () => {
  const timePrefix = keyPrefix('time');

  it('finds a top-level key and only a top-level one', () => {
    expect(topLevelValueIndex('{"level":30,"time":5}', timePrefix)).toBe(19);
    expect(topLevelValueIndex('{"req":{"time":1},"time":2}', timePrefix)).toBe(25);
    expect(topLevelValueIndex('{"req":{"time":1}}', timePrefix)).toBe(-1);
    expect(topLevelValueIndex('{"a":[{"time":1}]}', timePrefix)).toBe(-1);
    expect(topLevelValueIndex('{"msg":"{\\"time\\":1","x":1}', timePrefix)).toBe(-1);
    expect(topLevelValueIndex('{"msg":"a { b [","time":3}', timePrefix)).toBe(24);
    expect(topLevelValueIndex('no json "time":1', timePrefix)).toBe(-1);
  });

  it('agrees with JSON.parse on any JSON object', () => {
    const key = fc.constantFrom('time', 'level', 'msg', 'x', 'tim', 'times');
    const leaf = fc.oneof(
      fc.integer(),
      fc.string(),
      fc.constantFrom('"time":1', '{"time":', '\\', '"', '{[', ']}'),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (record) => {
        const line = JSON.stringify(record);
        const index = topLevelValueIndex(line, timePrefix);
        if (Object.hasOwn(record, 'time')) {
          expect(index).toBeGreaterThan(0);
          expect(line.startsWith(JSON.stringify(record.time), index)).toBe(true);
        } else {
          expect(index).toBe(-1);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('reads strings with escapes like JSON.parse', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(readString(JSON.stringify(text), 0)).toBe(text);
      }),
    );
  });
});

describe('TimeReader', () => {
  it.each([
    ['epoch milliseconds', '{"level":30,"time":1700000000123,"msg":"m"}', 1700000000123],
    ['epoch seconds', '{"time":1700000000,"msg":"m"}', 1700000000000],
    ['fractional milliseconds', '{"time":1700000000123.5}', 1700000000123.5],
    ['epoch microseconds', '{"time":1700000000123456}', 1700000000123.456],
    ['epoch nanoseconds, exactly', '{"time":1700000000123456789}', 1700000000123456789n],
    ['an ISO string', '{"time":"2023-11-14T22:13:20.123Z"}', 1700000000123],
    ['an ISO string with an offset', '{"time":"2023-11-15T06:13:20.123+08:00"}', 1700000000123],
    [
      'an ISO string with nanoseconds',
      '{"time":"2023-11-14T22:13:20.123456789Z"}',
      1700000000123456789n,
    ],
    ['a string of epoch digits', '{"time":"1700000000123"}', 1700000000123],
    ['no time', '{"level":30,"msg":"m"}', undefined],
    ['a nested time only', '{"req":{"time":1700000000123}}', undefined],
    ['a null time', '{"time":null}', undefined],
    ['an unreadable time', '{"time":"yesterday"}', undefined],
    ['a negative time', '{"time":-5}', undefined],
  ])('reads %s', (_, line, expected) => {
    expect(new TimeReader().read(line)).toEqual(expected);
  });

  it('reads every isoTime that pino writes, across seconds (the one-second cache)', () => {
    const reader = new TimeReader();
    fc.assert(
      fc.property(
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        fc.integer({ min: 0, max: 2500 }),
        (start, step) => {
          for (const time of [start, start + step, start + step * 2, start - step]) {
            const line = `{"level":30,"time":"${new Date(time).toISOString()}","msg":"m"}`;
            expect(reader.read(line)).toBe(time);
          }
        },
      ),
    );
  });

  it('reads the times of real pino lines', () => {
    const before = Date.now();
    const [epoch] = pinoLines({}, (logger) => logger.info('m'));
    const [iso] = pinoLines({ timestamp: pino.stdTimeFunctions.isoTime }, (logger) =>
      logger.info('m'),
    );
    const after = Date.now();
    for (const line of [epoch, iso]) {
      const time = new TimeReader().read(line ?? '');
      expect(typeof time).toBe('number');
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(after);
    }
  });
});

describe('LineToRecord', () => {
  const levels = new LevelNames();

  it('keeps the line as content and adds no labels without labelKeys', () => {
    const [line] = pinoLines({}, (logger) => logger.info({ a: 1 }, 'hello'));
    const record = new LineToRecord([], levels).toRecord(line ?? '');
    expect(record?.content).toBe(line);
    expect(record?.labels).toBeUndefined();
    expect(typeof record?.timeMs).toBe('number');
  });

  it('labels the level name without parsing, custom levels included', () => {
    const lines = pinoLines({ customLevels: { audit: 35 }, level: 'trace' }, (logger) => {
      logger.trace('a');
      logger.audit?.('b');
      logger.fatal('c');
    });
    const converter = new LineToRecord(['level'], new LevelNames({ audit: 35 }));
    expect(lines.map((line) => converter.toRecord(line)?.labels)).toEqual([
      { level: 'trace' },
      { level: 'audit' },
      { level: 'fatal' },
    ]);
    // One shared object per level: nothing allocated per line.
    expect(converter.toRecord(lines[1] ?? '')?.labels).toBe(
      converter.toRecord(lines[1] ?? '')?.labels,
    );
  });

  it('labels levels written as labels by a level formatter, and unknown numbers as digits', () => {
    const [line] = pinoLines({ formatters: { level: (label) => ({ level: label }) } }, (logger) =>
      logger.warn('m'),
    );
    const converter = new LineToRecord(['level'], levels);
    expect(converter.toRecord(line ?? '')?.labels).toEqual({ level: 'warn' });
    expect(converter.toRecord('{"level":42}')?.labels).toEqual({ level: '42' });
    expect(converter.toRecord('{"msg":"no level"}')?.labels).toBeUndefined();
  });

  it('labels other fields, top-level and dotted, as text by core’s rule (objects as compact JSON)', () => {
    const converter = new LineToRecord(
      ['level', 'service', 'req.method', 'ok', 'obj', 'missing'],
      levels,
    );
    const record = converter.toRecord(
      '{"level":50,"service":"api","req":{"method":"GET"},"ok":true,"obj":{"a":1}}',
    );
    expect(record?.labels).toEqual({
      level: 'error',
      service: 'api',
      'req.method': 'GET',
      ok: 'true',
      obj: '{"a":1}',
    });
    expect(
      converter.toRecord('{"req.method":"exact key wins","req":{"method":"GET"}}')?.labels,
    ).toEqual({
      'req.method': 'exact key wins',
    });
    expect(converter.toRecord('{"broken json')?.labels).toBeUndefined();
  });

  it('ships plain text as it is and skips blank lines', () => {
    const converter = new LineToRecord(['level', 'service'], levels);
    expect(converter.toRecord('plain text')).toEqual({
      content: 'plain text',
      timeNs: undefined,
      timeMs: undefined,
      labels: undefined,
    });
    expect(converter.toRecord('')).toBeUndefined();
    expect(converter.toRecord('  \t ')).toBeUndefined();
    expect(converter.toRecord(' indented')?.content).toBe(' indented');
  });

  it('never throws, whatever the line', () => {
    const converter = new LineToRecord(['level', 'a.b'], levels);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.string().map((text) => `{${text}`),
          fc.json().map((json) => `{"level":${json},"time":${json},"a":${json}`),
        ),
        (line) => {
          const record = converter.toRecord(line);
          if (record !== undefined) expect(record.content).toBe(line);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
