import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/preact';
import { mentionMatches, mentionQuery, NoteItem } from './Notes';

const staff = [
  { id: 'u1', name: 'Mona Moderator', handle: 'mona' },
  { id: 'u2', name: 'Olga Owner', handle: 'olga_o' },
  { id: 'u3', name: 'Max Mustermann', handle: 'maxm' },
];

describe('mentionQuery', () => {
  it('finds the @word right before the caret, not an e-mail address or an earlier one', () => {
    expect(mentionQuery('ask @mo', 7)).toEqual({ start: 4, query: 'mo' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail me@shop.com', 16)).toBeNull();
    expect(mentionQuery('@mona done', 10)).toBeNull();
  });
});

describe('mentionMatches', () => {
  it('matches handles and the start of any word of the name', () => {
    expect(mentionMatches(staff, 'm').map((s) => s.handle)).toEqual(['mona', 'maxm']);
    expect(mentionMatches(staff, 'owner').map((s) => s.handle)).toEqual(['olga_o']);
    expect(mentionMatches(staff, '').length).toBe(3);
  });
});

describe('NoteItem', () => {
  it('labels a note as a note and says when it mentions the viewer', () => {
    const n = { id: 'n1', body: 'ask @mona', createdAt: '2026-11-30T10:00:00Z', author: { id: 'u2', name: 'Olga Owner' }, mentions: [{ id: 'u1', name: 'Mona Moderator', handle: 'mona' }] };
    const { rerender } = render(<NoteItem n={n} viewerId="u1" />);
    expect(screen.getByRole('article', { name: /^Note from Olga Owner/ })).toBeTruthy();
    expect(screen.getByText(/mentions you/)).toBeTruthy();
    rerender(<NoteItem n={n} viewerId="u3" />);
    expect(screen.queryByText(/mentions you/)).toBeNull();
  });
});
