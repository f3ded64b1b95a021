import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.ts';

function drain(splitter: LineSplitter): string[] {
  const lines: string[] = [];
  for (let line = splitter.next(); line !== undefined; line = splitter.next()) lines.push(line);
  return lines;
}

describe('LineSplitter', () => {
  it('cuts lines at \\n and \\r\\n and keeps a partial line for the next chunk', () => {
    const splitter = new LineSplitter();
    splitter.push('a\nb\r\nc');
    expect(drain(splitter)).toEqual(['a', 'b']);
    splitter.push('d\n\ne');
    expect(drain(splitter)).toEqual(['cd', '']);
    splitter.end();
    expect(drain(splitter)).toEqual(['e']);
  });

  it('never splits a UTF-8 character across byte chunks', () => {
    const bytes = Buffer.from('日本\n🎉x\n');
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (let index = 0; index < bytes.length; index++) {
      splitter.push(bytes.subarray(index, index + 1));
      lines.push(...drain(splitter));
    }
    expect(lines).toEqual(['日本', '🎉x']);
  });

  it('lets a reader stop mid-chunk and go on after more chunks arrive', () => {
    const splitter = new LineSplitter();
    splitter.push('1\n2\n3\n4');
    expect(splitter.next()).toBe('1');
    // A chunk pushed before the previous one was read to its end follows its unread part.
    splitter.push('5\n6');
    expect(drain(splitter)).toEqual(['2', '3', '45']);
    splitter.end();
    expect(drain(splitter)).toEqual(['6']);
  });

  it('gives a last line without newline at the end, and nothing for an empty end', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from([0x61, 0xe6]));
    expect(drain(splitter)).toEqual([]);
    splitter.end();
    // An incomplete UTF-8 sequence at the end becomes U+FFFD, as pino's destinations do.
    expect(drain(splitter)).toEqual(['a\ufffd']);
    const empty = new LineSplitter();
    empty.push('x\n');
    expect(drain(empty)).toEqual(['x']);
    empty.end();
    expect(drain(empty)).toEqual([]);
  });
});
