import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { Composer } from './Composer';
import { cannotReplyText } from './Conversation';

afterEach(cleanup);

const saved = [
  { id: '1', shortcut: 'shipping', title: 'Shipping times', body: 'We ship within 2 days.' },
  { id: '2', shortcut: 'returns', title: 'Returns', body: 'Returns are free for 30 days.' },
];

describe('Composer', () => {
  it('sends on Enter and clears the box; a failed send keeps the text and says why', async () => {
    const onSend = vi.fn().mockResolvedValueOnce('Too many messages').mockResolvedValueOnce(null);
    render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: 'hello' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByRole('alert');
    expect(screen.getByRole('alert').textContent).toBe('Too many messages');
    expect(box.value).toBe('hello');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(box.value).toBe(''));
    expect(onSend).toHaveBeenLastCalledWith({ body: 'hello', attachments: undefined });
  });

  it('offers saved replies by shortcut and expands an exact shortcut instead of sending it', async () => {
    const onSend = vi.fn().mockResolvedValue(null);
    render(<Composer onSend={onSend} savedReplies={saved} />);
    const box = screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: '/re' } });
    const options = screen.getByRole('list', { name: 'Saved replies' });
    expect(options.textContent).toContain('/returns');
    expect(options.textContent).not.toContain('/shipping');
    fireEvent.input(box, { target: { value: '/shipping' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(box.value).toBe('We ship within 2 days.'));
    expect(onSend).not.toHaveBeenCalled();
  });

  it('reports typing at most every 3 seconds', () => {
    const onTyping = vi.fn();
    render(<Composer onSend={vi.fn()} onTyping={onTyping} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'a' } });
    fireEvent.input(box, { target: { value: 'ab' } });
    fireEvent.input(box, { target: { value: 'abc' } });
    expect(onTyping.mock.calls).toEqual([[true]]);
    fireEvent.blur(box);
    expect(onTyping.mock.calls).toEqual([[true], [false]]);
  });
});

describe('why staff cannot reply', () => {
  it('names the closed reply window, or the pages-never-start rule', () => {
    expect(cannotReplyText('staff', '2020-01-01T10:00:00Z', 'Ann')).toMatch(/reply window closed/);
    expect(cannotReplyText('staff', null, 'Ann')).toMatch(/pages do not start conversations.*Ann answers/);
  });
});
