import { describe, expect, it } from 'vitest';
import { mergeBySeq, resumeAfter, upsertMessages } from './messages';

const m = (seq: number, body = `m${seq}`) => ({ seq, body });

describe('mergeBySeq', () => {
  it('keeps seq order and drops the duplicates a replay brings', () => {
    const shown = [m(1), m(2), m(3)];
    const replay = [m(2, 'again'), m(3, 'again'), m(4), m(5)];
    expect(mergeBySeq(shown, replay).map((x) => [x.seq, x.body])).toEqual([
      [1, 'm1'], [2, 'm2'], [3, 'm3'], [4, 'm4'], [5, 'm5'],
    ]);
  });
  it('places a late message (from a send answer) before later ones', () => {
    expect(mergeBySeq([m(1), m(3)], [m(2)]).map((x) => x.seq)).toEqual([1, 2, 3]);
  });
  it('returns the same list when nothing is new (no re-render)', () => {
    const shown = [m(1)];
    expect(mergeBySeq(shown, [m(1)])).toBe(shown);
  });
});

describe('resumeAfter', () => {
  it('is 0 for an empty conversation (replay everything)', () => {
    expect(resumeAfter([])).toBe(0);
  });
  it('is the last seq of a run without gaps', () => {
    expect(resumeAfter([m(4), m(5), m(6)])).toBe(6);
  });
  it('stops before a gap, so the resume fills it', () => {
    expect(resumeAfter([m(1), m(2), m(4)])).toBe(2);
  });
});

describe('upsertMessages', () => {
  it('replaces the messages already shown with their newer state and adds the new ones in seq order', () => {
    const shown = [{ id: 'a', seq: 1, body: 'hi' }, { id: 'b', seq: 2, body: 'typo' }];
    const got = upsertMessages(shown, [{ id: 'c', seq: 3, body: 'new' }, { id: 'b', seq: 2, body: 'fixed' }]);
    expect(got.map((x) => [x.seq, x.body])).toEqual([[1, 'hi'], [2, 'fixed'], [3, 'new']]);
  });
});
