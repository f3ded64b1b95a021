import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.ts';
import { truncationMarker } from './helpers/truncation-marker.ts';

/** The lines taken, a cut one with the marker core adds for it (naming `cutFromBytes`). */
function drain(splitter: LineSplitter): string[] {
  const lines: string[] = [];
  for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
    const cutFromBytes = splitter.cutFromBytes;
    lines.push(cutFromBytes === undefined ? line : line + truncationMarker(cutFromBytes));
  }
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

describe('LineSplitter: maxLineBytes', () => {
  const max = 1024;
  /** What a line cut at `max` starts with and ends with. */
  function expectCut(line: string | undefined, head: string, originalBytes: number): void {
    const marker = truncationMarker(originalBytes);
    expect(line?.endsWith(marker)).toBe(true);
    expect(head.startsWith(line!.slice(0, -marker.length))).toBe(true);
    expect(Buffer.byteLength(line!)).toBeLessThanOrEqual(max);
    expect(Buffer.byteLength(line!)).toBeGreaterThan(max - 80);
  }

  it('keeps a line of exactly maxLineBytes whole and cuts one byte more, counting the cut lines', () => {
    const splitter = new LineSplitter(max);
    const exact = 'e'.repeat(max);
    const over = 'o'.repeat(max + 1);
    splitter.push(`${exact}\n${over}\r\nafter\n`);
    const [first, second, third] = drain(splitter);
    expect(first).toBe(exact);
    // The size is the line's, without its \r\n.
    expectCut(second, over, max + 1);
    expect(third).toBe('after');
    expect(splitter.truncatedLines).toBe(1);
  });

  it('measures UTF-8 bytes, not characters, and never splits a character at the cut', () => {
    const splitter = new LineSplitter(max);
    // 400 characters of 3 bytes each: 1,200 bytes.
    const wide = '日'.repeat(400);
    const emoji = '🎉'.repeat(300); // 1,200 bytes in surrogate pairs
    splitter.push(`${wide}\n${emoji}\n${'日'.repeat(341)}\n`);
    const [first, second, third] = drain(splitter);
    expectCut(first, wide, 1200);
    expectCut(second, emoji, 1200);
    expect(second).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    // 1,023 bytes: whole.
    expect(third).toBe('日'.repeat(341));
  });

  it('discards the rest of a long line as it streams in, keeping only its head, then goes on', () => {
    const splitter = new LineSplitter(max);
    const chunk = 'x'.repeat(10_000);
    let total = 0;
    for (let index = 0; index < 500; index++) {
      splitter.push(Buffer.from(chunk));
      total += chunk.length;
      expect(splitter.next()).toBeUndefined();
    }
    splitter.push(Buffer.from('tail\r'));
    splitter.push(Buffer.from('\nnext line\nlast'));
    const lines = drain(splitter);
    expectCut(lines[0], 'x'.repeat(max), total + 'tail'.length);
    expect(lines.slice(1)).toEqual(['next line']);
    splitter.end();
    expect(drain(splitter)).toEqual(['last']);
    expect(splitter.truncatedLines).toBe(1);
  });

  it('cuts a line longer than maxLineBytes that the stream ends without a newline', () => {
    const splitter = new LineSplitter(max);
    splitter.push('y'.repeat(600));
    splitter.push('y'.repeat(600));
    expect(drain(splitter)).toEqual([]);
    splitter.end();
    const [last, ...none] = drain(splitter);
    expectCut(last, 'y'.repeat(1200), 1200);
    expect(none).toEqual([]);
  });

  it('joins a line from many small chunks without cutting it when it fits', () => {
    const splitter = new LineSplitter(max);
    const line = 'ü'.repeat(500); // 1,000 bytes
    for (const character of line) splitter.push(Buffer.from(character));
    splitter.push('\n');
    expect(drain(splitter)).toEqual([line]);
    expect(splitter.truncatedLines).toBe(0);
  });

  it('does not count a \\r whose \\n comes in the next chunk', () => {
    const splitter = new LineSplitter(max);
    splitter.push('z'.repeat(2000));
    splitter.push('\r');
    splitter.push('\nok\n');
    const [first, second] = drain(splitter);
    expectCut(first, 'z'.repeat(2000), 2000);
    expect(second).toBe('ok');
  });
});
