import { describe, expect, it } from 'vitest';
import { Batch } from '../src/batch.ts';
import { fromMilliseconds } from '../src/clock.ts';
import { LabelGroup } from '../src/label-sets.ts';

const contents = ['plain', 'with "quotes" and \\ and\nnewline', 'unicode é 日本 😀', '","'];

function filledBatch(api: 'standard' | 'high-accuracy'): Batch {
  const group = new LabelGroup('', '{"app":"test"}', api, 1024 * 1024);
  const batch = new Batch(group, 1);
  batch.baseTime = fromMilliseconds(1_700_000_000_000);
  contents.forEach((content, index) => {
    batch.add(
      content,
      content.length + group.recordOverhead,
      fromMilliseconds(1_700_000_000_000 + index),
    );
  });
  return batch;
}

describe('Batch.records', () => {
  it.each(['standard', 'high-accuracy'] as const)(
    'gives back the contents after %s encoding',
    (api) => {
      const batch = filledBatch(api);
      batch.encode();
      expect(batch.body).toBeDefined();
      expect(batch.records()).toEqual(contents);
    },
  );

  it('returns a body it cannot decode whole, as one entry, instead of throwing', () => {
    const batch = filledBatch('standard');
    batch.encode();
    const body = batch.body!;
    const original = body.toString('utf8');
    body.fill(0x7b, 0, 8); // '{{{{{{{{': no longer JSON
    expect(() => batch.records()).not.toThrow();
    const records = batch.records();
    expect(records).toHaveLength(1);
    expect(records[0]).toBe(`{{{{{{{{${original.slice(8)}`);
  });
});
