import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromNanoseconds, toDigits } from '../src/clock.ts';
import {
  decodeContents,
  envelopeBytes,
  highAccuracyEntryOverhead,
  producerBody,
  utf8Length,
} from '../src/encode.ts';

const projectId = '0123456789abcdef0123456789abcdef';

describe('the producer route body (api: batch)', () => {
  it('is one log item: contents with their own times, the labels as a JSON string, the project', () => {
    const times = [
      fromNanoseconds(1_700_000_000_000_000_001n),
      fromNanoseconds(1_700_000_000_500_000_000n),
    ];
    const body = producerBody(['a "quoted" line', 'ü\n'], times, '{"app":"é"}', projectId);
    // Parsed with the times as text: they are exact integers, beyond a float's precision.
    const parsed = JSON.parse(
      body.toString('utf8').replace(/"log_time_ns":(\d+)/g, '"log_time_ns":"$1"'),
    );
    expect(parsed).toEqual({
      log_items: [
        {
          contents: [
            { log_time_ns: '1700000000000000001', log: 'a "quoted" line' },
            { log_time_ns: '1700000000500000000', log: 'ü\n' },
          ],
          labels: '{"app":"é"}',
          tenant_project_id: projectId,
        },
      ],
    });
  });

  it('counts its envelope exactly, so batches fit maxBatchBytes', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1 }), fc.string()),
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 20 }),
        (labels, contents) => {
          const labelsJson = JSON.stringify(labels);
          const times = contents.map((_, index) =>
            fromNanoseconds(1_700_000_000_000_000_000n + BigInt(index)),
          );
          const body = producerBody(contents, times, labelsJson, projectId);
          let records = 0;
          for (const content of contents) {
            records +=
              utf8Length(JSON.stringify(content)) +
              highAccuracyEntryOverhead -
              19 +
              toDigits(times[0]!).length;
          }
          expect(body.length).toBe(
            envelopeBytes('batch', labelsJson, projectId) + records + contents.length - 1,
          );
          expect(decodeContents(body.toString('utf8'))).toEqual(contents);
        },
      ),
    );
  });
});
