import { describe, expect, it } from 'vitest';
import { LabelSets } from '../src/label-sets.ts';

describe('label sets', () => {
  it('merges record labels over the static ones and gives equal sets one group', () => {
    const sets = new LabelSets({ app: 'api' }, 'standard', 512 * 1024, 10);
    const first = sets.groupFor({ level: 'info' });
    expect(first?.labelsJson).toBe('{"app":"api","level":"info"}');
    expect(sets.groupFor({ level: 'info' })).toBe(first);
    expect(sets.groupFor({})).toBe(sets.staticGroup);
    expect(sets.groupFor({ app: 'worker' })?.labelsJson).toBe('{"app":"worker"}');
  });

  it('remembers frozen label objects by identity, and never a mutable one', () => {
    const sets = new LabelSets({}, 'standard', 512 * 1024, 10);
    const frozen = Object.freeze({ level: 'warn' });
    const group = sets.groupFor(frozen);
    expect(sets.groupFor(frozen)).toBe(group);
    const mutable: Record<string, string> = { level: 'warn' };
    expect(sets.groupFor(mutable)).toBe(group);
    mutable.level = 'error';
    expect(sets.groupFor(mutable)?.labelsJson).toBe('{"level":"error"}');
  });

  it('refuses new sets beyond maxLabelSets unless idle ones can be forgotten', () => {
    const sets = new LabelSets({}, 'standard', 512 * 1024, 3);
    const kept = sets.groupFor(Object.freeze({ id: '1' }))!;
    // An open batch keeps a group from being forgotten.
    kept.open = {} as never;
    expect(sets.groupFor({ id: '2' })).toBeDefined();
    sets.groupFor({ id: '2' })!.open = {} as never;
    expect(sets.groupFor({ id: '3' })).toBeUndefined();
    sets.groupFor({ id: '2' })!.open = undefined;
    expect(sets.groupFor({ id: '3' })?.labelsJson).toBe('{"id":"3"}');
    expect([...sets.all()].length).toBeLessThanOrEqual(3);
  });
});
