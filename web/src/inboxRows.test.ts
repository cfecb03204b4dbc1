import { describe, expect, it } from 'vitest';
import { applyInboxEvent } from './inboxRows';

const t = (id: string, snippet = id) => ({ id, snippet });

describe('applyInboxEvent', () => {
  it('moves a thread with a new message to the top and adds a new thread', () => {
    const rows = [t('a'), t('b')];
    expect(applyInboxEvent(rows, { kind: 'MESSAGE_ADDED', thread: t('b', 'new') })).toEqual([t('b', 'new'), t('a')]);
    expect(applyInboxEvent(rows, { kind: 'THREAD_CREATED', thread: t('c') })).toEqual([t('c'), t('a'), t('b')]);
  });
  it('replaces a row in place for other changes, and leaves a list without the thread as it is', () => {
    const rows = [t('a'), t('b')];
    expect(applyInboxEvent(rows, { kind: 'VIEWERS_CHANGED', thread: t('b', 'x') })).toEqual([t('a'), t('b', 'x')]);
    expect(applyInboxEvent(rows, { kind: 'THREAD_UPDATED', thread: t('z') })).toBe(rows);
  });
  it('re-applied on top of a first page that was answered before the events, shows what they showed', () => {
    const stalePage: { id: string; snippet: string }[] = [];
    const during = [{ kind: 'THREAD_CREATED', thread: t('a', 'Anyone there?') }];
    expect(during.reduce(applyInboxEvent, stalePage)).toEqual([t('a', 'Anyone there?')]);
  });
});
