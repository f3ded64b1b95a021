import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.ts';
import { LineStream, type LineStreamParts } from '../src/line-stream.ts';

/** A stream whose pauses the test releases by hand, recording what happens. */
function streamWithPauses(
  pauseAfter: readonly string[],
  firstLinesWait: Promise<void> | undefined = undefined,
) {
  const taken: string[] = [];
  const events: string[] = [];
  const releases: Array<() => void> = [];
  const parts: LineStreamParts = {
    splitter: new LineSplitter(),
    onLine: (line) => taken.push(line),
    pauseAfterLine: () => {
      if (!pauseAfter.includes(taken.at(-1) ?? '')) return undefined;
      return new Promise<void>((resolve) => releases.push(resolve));
    },
    flush: async () => {
      events.push(`client flushed after ${taken.join(',')}`);
    },
    close: async () => {
      events.push(`client closed after ${taken.join(',')}`);
    },
    stats: () => {
      throw new Error('not asked here');
    },
    firstLinesWait,
    decodeStrings: false,
  };
  return { stream: new LineStream(parts), taken, events, releases };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LineStream', () => {
  it('holds the writer during a pause and lets flush() wait for the held lines', async () => {
    const { stream, taken, events, releases } = streamWithPauses(['a']);
    stream.write('a\nb\n');
    stream.write('c\n');
    let flushed = false;
    stream.flush(() => {
      flushed = true;
    });
    await tick();
    expect(taken).toEqual(['a']);
    expect(flushed).toBe(false);

    releases[0]?.();
    await tick();
    expect(taken).toEqual(['a', 'b', 'c']);
    expect(flushed).toBe(true);
    expect(events).toEqual(['client flushed after a,b,c']);
  });

  it('takes no line before firstLinesWait settles', async () => {
    let release!: () => void;
    const levelsArrived = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { stream, taken } = streamWithPauses([], levelsArrived);
    stream.write('a\n');
    await tick();
    expect(taken).toEqual([]);
    release();
    await tick();
    expect(taken).toEqual(['a']);
  });

  it('on end, takes a last line without a newline, closes the client, then emits close, never error', async () => {
    const { stream, taken, events } = streamWithPauses([]);
    const errors: unknown[] = [];
    stream.on('error', (error) => errors.push(error));
    stream.end('a\nlast');
    await once(stream, 'close');
    expect(taken).toEqual(['a', 'last']);
    expect(events).toEqual(['client closed after a,last']);
    expect(errors).toEqual([]);
  });

  it('on destroy during a pause, still hands over every line it was given before closing', async () => {
    const { stream, taken, events } = streamWithPauses(['a']);
    stream.write('a\nb\npartial');
    await tick();
    expect(taken).toEqual(['a']);
    stream.destroy();
    await once(stream, 'close');
    expect(taken).toEqual(['a', 'b', 'partial']);
    expect(events).toEqual(['client closed after a,b,partial']);
  });
});
