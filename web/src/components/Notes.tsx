// Staff notes (rule 35): text for the page's staff inside a conversation,
// never shown to the visitor. A note reads differently from a message
// (its own colour and "Note" label) so nobody mistakes it for something
// the visitor saw. Typing "@" in the note box lists the page's staff;
// picking one inserts their @handle, which the server turns into a
// mention (a MENTIONED notification for them).
import { useState } from 'preact/hooks';
import { useMutation } from '@urql/preact';
import { graphql } from '../gql';
import type { NoteFieldsFragment } from '../gql/graphql';
import { errorText } from '../errors';
import { formatTime } from '../format';

export const NoteFields = graphql(`
  fragment NoteFields on Note {
    id
    body
    createdAt
    author {
      id
      name
    }
    mentions {
      id
      name
      handle
    }
  }
`);

const AddNote = graphql(`
  mutation AddNote($input: AddNoteInput!) {
    addNote(input: $input) {
      note {
        ...NoteFields
      }
    }
  }
`);

export function NoteItem({ n, viewerId }: { n: NoteFieldsFragment; viewerId: string | null }) {
  const who = n.author?.name ?? 'An integration';
  const mentionsMe = !!viewerId && n.mentions.some((u) => u.id === viewerId);
  return (
    <article class={`note ${mentionsMe ? 'mentions-me' : ''}`} aria-label={`Note from ${who}, ${formatTime(n.createdAt)}`}>
      <div class="meta">
        <span class="note-tag">Note</span> <span class="sender">{who}</span> <time dateTime={n.createdAt}>{formatTime(n.createdAt)}</time>
        {mentionsMe && <strong class="mention-flag"> · mentions you</strong>}
      </div>
      <p class="body">{n.body}</p>
    </article>
  );
}

export interface StaffMember {
  id: string;
  name: string;
  handle: string;
}

/** The "@name" being typed right before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|\s)@([\w.]*)$/.exec(text.slice(0, caret));
  return m ? { start: caret - m[2].length - 1, query: m[2] } : null;
}

/** Staff whose handle or name starts with the query, at most 6. */
export function mentionMatches(staff: readonly StaffMember[], query: string): StaffMember[] {
  const q = query.toLowerCase();
  return staff.filter((s) => s.handle.toLowerCase().startsWith(q) || s.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q))).slice(0, 6);
}

export function NoteComposer({ threadId, staff, onAdded }: { threadId: string; staff: readonly StaffMember[]; onAdded: (n: NoteFieldsFragment) => void }) {
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [state, add] = useMutation(AddNote);
  const mention = mentionQuery(text, caret);
  const matches = mention ? mentionMatches(staff, mention.query) : [];

  const pick = (s: StaffMember, box: HTMLTextAreaElement | null) => {
    if (!mention) return;
    const before = text.slice(0, mention.start) + `@${s.handle} `;
    setText(before + text.slice(caret));
    setCaret(before.length);
    if (box) {
      box.focus();
      requestAnimationFrame(() => box.setSelectionRange(before.length, before.length));
    }
  };
  const submit = async () => {
    const body = text.trim();
    if (!body || state.fetching) return;
    const r = await add({ input: { threadId, body } });
    setError(errorText(r.error));
    if (r.data) {
      onAdded(r.data.addNote.note);
      setText('');
      setCaret(0);
    }
  };
  const id = `note-${threadId}`;
  return (
    <form
      class="note-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label for={id}>Note</label>
      <p class="hint" id={`${id}-hint`}>
        Only the page's staff see notes. Type @ to mention someone.
      </p>
      {matches.length > 0 && (
        <ul class="mentions" aria-label="Mention">
          {matches.map((s) => (
            <li key={s.id}>
              <button type="button" onClick={() => pick(s, document.getElementById(id) as HTMLTextAreaElement | null)}>
                {s.name} <span class="muted">@{s.handle}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <textarea
        id={id}
        aria-describedby={`${id}-hint`}
        rows={2}
        value={text}
        onInput={(e) => {
          const el = e.target as HTMLTextAreaElement;
          setText(el.value);
          setCaret(el.selectionStart ?? el.value.length);
        }}
        onKeyUp={(e) => setCaret((e.target as HTMLTextAreaElement).selectionStart ?? 0)}
        onClick={(e) => setCaret((e.target as HTMLTextAreaElement).selectionStart ?? 0)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            if (matches.length === 1 && mention) pick(matches[0], e.target as HTMLTextAreaElement);
            else void submit();
          }
        }}
      />
      <div class="composer-actions">
        <button type="submit" class="note-button" disabled={state.fetching}>
          Add note
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
