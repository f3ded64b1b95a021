import { describe, expect, it } from 'vitest';
import { type LabelGroup, LabelSets } from '../src/label-sets.ts';

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
    // An open batch (the accumulator says so) keeps a group from being forgotten.
    const open = new Set<LabelGroup>();
    const sets = new LabelSets({}, 'standard', 512 * 1024, 3, '', (group) => open.has(group));
    const kept = sets.groupFor(Object.freeze({ id: '1' }))!;
    open.add(kept);
    expect(sets.groupFor({ id: '2' })).toBeDefined();
    open.add(sets.groupFor({ id: '2' })!);
    expect(sets.groupFor({ id: '3' })).toBeUndefined();
    open.delete(sets.groupFor({ id: '2' })!);
    expect(sets.groupFor({ id: '3' })?.labelsJson).toBe('{"id":"3"}');
    expect([...sets.all()].length).toBeLessThanOrEqual(3);
  });
});
