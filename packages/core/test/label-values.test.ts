import { emulatorTest } from '@logtank/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { toLabelValue } from '../src/index.ts';
import { closeObservedClients, observedClient } from './observed-client.ts';

afterEach(() => closeObservedClients());

describe('label values', () => {
  it('become plain text by one rule: strings as they are, Dates as ISO, numbers and booleans as String(), the rest compact JSON', () => {
    expect(toLabelValue('as is')).toBe('as is');
    expect(toLabelValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(toLabelValue(new Date(Number.NaN))).toBe('Invalid Date');
    expect(toLabelValue(42)).toBe('42');
    expect(toLabelValue(false)).toBe('false');
    expect(toLabelValue(12n)).toBe('12');
    expect(toLabelValue({ a: [1, 'b'], when: new Date(0) })).toBe(
      '{"a":[1,"b"],"when":"1970-01-01T00:00:00.000Z"}',
    );
    expect(toLabelValue(null)).toBeUndefined();
    expect(toLabelValue(undefined)).toBeUndefined();
    expect(toLabelValue(() => 1)).toBeUndefined();
  });

  emulatorTest('arrive at LTS as that text from send()', async ({ emulator }) => {
    const { client } = observedClient({ ...emulator.clientOptions(), lingerMs: 10 });
    client.send({
      content: 'labelled',
      labels: {
        date: new Date(0),
        count: 3,
        flag: true,
        nested: { zone: 'a' },
        missing: null,
      } as unknown as Record<string, string>,
    });
    await client.flush();
    expect(emulator.records()[0]!.labels).toEqual({
      date: '1970-01-01T00:00:00.000Z',
      count: '3',
      flag: 'true',
      nested: '{"zone":"a"}',
    });
  });
});
