import { describe, expect, it } from 'vitest';
import { compileRecordFilter } from '../src/record-matcher.ts';
import type { StoredRecord } from '../src/types.ts';

function record(content: string, labels: Record<string, string>): StoredRecord {
  return {
    content,
    labels,
    timeNs: 1n,
    projectId: 'p',
    logGroupId: 'g',
    logStreamId: 's',
    api: 'standard',
    requestId: 1,
    credential: 'token',
  };
}

describe('the console filter', () => {
  it.each([
    ['', 'anything', {}, true],
    ['Error', 'an error happened', {}, true],
    ['error timeout', 'error: timeout', {}, true],
    ['error timeout', 'error', {}, false],
    ['web', 'x', { app: 'web-1' }, true],
    ['app', 'x', { app: 'web' }, true],
    ['app=web', 'x', { app: 'web' }, true],
    ['app=web', 'app=web', { app: 'web-1' }, false],
    ['app="web"', 'x', { app: 'web' }, true],
    ['-debug', 'DEBUG line', {}, false],
    ['-debug', 'info line', {}, true],
    ['"two words"', 'has two words here', {}, true],
    ['"two words"', 'words two', {}, false],
    ['a.b', 'axb', {}, false],
    ['(x', 'f(x)', {}, true],
    ['-', 'a - b', {}, true],
  ] as Array<[string, string, Record<string, string>, boolean]>)(
    '%j on %j %j: %s',
    (filter, content, labels, expected) => {
      expect(compileRecordFilter(filter)(record(content, labels))).toBe(expected);
    },
  );
});
