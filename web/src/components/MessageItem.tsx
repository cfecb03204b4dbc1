// One message in a conversation, with what people can do to it: react
// (one reaction per person per emoji, a second press takes it back),
// quote it in a reply, and for its sender edit it (within 15 minutes, at
// most 5 times) or unsend it (within 24 hours). An edited message says
// "edited"; an unsent one says it was removed, for everyone. A page's
// ADMINs open the edit history of PAGE messages. The server enforces
// every limit; the buttons only hide what it would refuse.
import { useState } from 'preact/hooks';
import { useMutation } from '@urql/preact';
import { graphql } from '../gql';
import type { MessageFieldsFragment } from '../gql/graphql';
import { errorText } from '../errors';
import { formatTime } from '../format';

const React = graphql(`
  mutation ReactToMessage($input: ReactInput!) {
    reactToMessage(input: $input) {
      message {
        ...MessageFields
      }
    }
  }
`);

const Unreact = graphql(`
  mutation RemoveReaction($input: ReactInput!) {
    removeReaction(input: $input) {
      message {
        ...MessageFields
      }
    }
  }
`);

const Edit = graphql(`
  mutation EditMessage($input: EditMessageInput!) {
    editMessage(input: $input) {
      message {
        ...MessageFields
      }
    }
  }
`);

const Unsend = graphql(`
  mutation UnsendMessage($id: ID!) {
    unsendMessage(input: { id: $id }) {
      message {
        ...MessageFields
      }
    }
  }
`);

/** The emoji offered by "Add a reaction". */
export const EMOJI = ['👍', '❤️', '😂', '😮', '🙏'] as const;

const EDIT_WINDOW_MS = 15 * 60_000;
const MAX_EDITS = 5;
const UNSEND_WINDOW_MS = 24 * 3600_000;

/** A message being quoted by the composer. */
export interface Quote {
  id: string;
  who: string;
  body: string;
}

interface Props {
  m: MessageFieldsFragment;
  mine: boolean;
  side: 'visitor' | 'staff';
  pageName: string;
  visitorName: string;
  viewerId: string | null;
  isAdmin: boolean;
  onQuote: (q: Quote) => void;
  onChanged: (m: MessageFieldsFragment) => void;
}

type Sender = Pick<MessageFieldsFragment, 'senderType'> & { sender?: { id: string; name: string } | null };

function senderName(m: Sender, p: Pick<Props, 'side' | 'pageName' | 'visitorName' | 'viewerId'>): string {
  const mine = p.side === 'visitor' ? m.senderType === 'VISITOR' : m.senderType === 'PAGE';
  if (m.senderType === 'SYSTEM') return `${p.pageName} (automatic reply)`;
  if (mine) return p.side === 'staff' && m.sender ? `${m.sender.name} for ${p.pageName}` : 'You';
  if (m.senderType === 'PAGE') return p.pageName;
  return m.sender?.name ?? p.visitorName;
}

export function MessageItem(props: Props) {
  const { m } = props;
  const [, react] = useMutation(React);
  const [, unreact] = useMutation(Unreact);
  const [, edit] = useMutation(Edit);
  const [, unsend] = useMutation(Unsend);
  const [picking, setPicking] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [history, setHistory] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const who = senderName(m, props);
  const removed = !!m.removedAt;
  // Only the person who sent it may change it: the visitor their own, a
  // staff member the page's messages they sent themselves.
  const isSender = props.side === 'visitor' ? m.senderType === 'VISITOR' : m.senderType === 'PAGE' && !!m.sender && m.sender.id === props.viewerId;
  const age = Date.now() - Date.parse(m.createdAt);
  const canEdit = isSender && !removed && m.editCount < MAX_EDITS && age < EDIT_WINDOW_MS;
  const canUnsend = isSender && !removed && age < UNSEND_WINDOW_MS;
  const canAct = m.senderType !== 'SYSTEM' && !removed;
  const revisions = props.isAdmin && m.senderType === 'PAGE' && m.editCount > 0 ? m.revisions ?? [] : [];

  const apply = async (p: Promise<{ data?: { [k: string]: { message: MessageFieldsFragment } } | null; error?: Parameters<typeof errorText>[0] }>) => {
    const r = await p;
    setError(errorText(r.error));
    const payload = r.data && Object.values(r.data)[0];
    if (payload?.message) props.onChanged(payload.message);
    return !r.error;
  };
  const toggle = (emoji: string, reacted: boolean) => {
    setPicking(false);
    void apply((reacted ? unreact : react)({ input: { messageId: m.id, emoji } }));
  };

  return (
    <article
      class={`msg ${props.mine ? 'mine' : 'theirs'} ${m.senderType === 'SYSTEM' ? 'system' : ''} ${removed ? 'removed' : ''}`}
      aria-label={`${who}, ${formatTime(m.createdAt)}`}
    >
      <div class="meta">
        <span class="sender">{who}</span> <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
        {m.editedAt && !removed && <span class="edited"> · edited</span>}
      </div>
      {m.replyTo && (
        <blockquote class="quote">
          <span class="quote-who">{senderName(m.replyTo, props)}:</span>{' '}
          {m.replyTo.removedAt ? <em>removed message</em> : m.replyTo.body || 'attachment'}
        </blockquote>
      )}
      {m.referral?.source === 'COMMENT' && (
        <p class="referral">
          Private reply to the comment “{m.referral.comment?.body || '…'}”
        </p>
      )}
      {m.referral?.source === 'AD' && m.referral.ad && <p class="referral">From the ad “{m.referral.ad.title}”</p>}
      {removed ? (
        <p class="body removed-text">This message was removed.</p>
      ) : editing !== null ? (
        <form
          class="edit"
          onSubmit={(e) => {
            e.preventDefault();
            const body = editing.trim();
            if (body && body !== m.body) void apply(edit({ input: { messageId: m.id, body } })).then((ok) => ok && setEditing(null));
            else setEditing(null);
          }}
        >
          <label>
            Edit message
            <textarea value={editing} rows={2} onInput={(e) => setEditing((e.target as HTMLTextAreaElement).value)} />
          </label>
          <div class="edit-actions">
            <button type="submit">Save edit</button>
            <button type="button" class="link" onClick={() => setEditing(null)}>
              Cancel edit
            </button>
          </div>
        </form>
      ) : (
        m.body && <p class="body">{m.body}</p>
      )}
      {!removed && m.attachments.length > 0 && (
        <ul class="attachments" aria-label="Attachments">
          {m.attachments.map((a, i) => (
            <li key={i}>
              {a.type === 'IMAGE' ? (
                <a href={a.url} target="_blank" rel="noopener">
                  <img src={a.url} alt={a.name ?? 'image'} loading="lazy" />
                </a>
              ) : (
                <a href={a.url} target="_blank" rel="noopener">
                  {a.title || a.name || a.url}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
      {m.reactions.length > 0 && (
        <ul class="reactions" aria-label="Reactions">
          {m.reactions.map((r) => (
            <li key={r.emoji}>
              <button
                type="button"
                class={`reaction ${r.viewerReacted ? 'on' : ''}`}
                aria-pressed={r.viewerReacted}
                aria-label={`${r.emoji} ${r.count}`}
                title={r.viewerReacted ? 'Take back your reaction' : 'React with this too'}
                disabled={!canAct}
                onClick={() => toggle(r.emoji, r.viewerReacted)}
              >
                {r.emoji} {r.count}
              </button>
            </li>
          ))}
        </ul>
      )}
      {canAct && (
        <div class="msg-actions">
          <button type="button" class="link" aria-expanded={picking} onClick={() => setPicking(!picking)}>
            Add a reaction
          </button>
          <button type="button" class="link" onClick={() => props.onQuote({ id: m.id, who, body: m.body })}>
            Quote
          </button>
          {canEdit && editing === null && (
            <button type="button" class="link" onClick={() => setEditing(m.body)}>
              Edit
            </button>
          )}
          {canUnsend && (
            <button
              type="button"
              class="link"
              onClick={() => {
                if (confirm('Unsend this message? It is removed for everyone.')) void apply(unsend({ id: m.id }));
              }}
            >
              Unsend
            </button>
          )}
          {revisions.length > 0 && (
            <button type="button" class="link" aria-expanded={history} onClick={() => setHistory(!history)}>
              Edit history
            </button>
          )}
        </div>
      )}
      {picking && (
        <div class="emoji-picker" role="group" aria-label="Pick a reaction">
          {EMOJI.map((e) => {
            const reacted = m.reactions.some((r) => r.emoji === e && r.viewerReacted);
            return (
              <button key={e} type="button" aria-label={`React with ${e}`} aria-pressed={reacted} onClick={() => toggle(e, reacted)}>
                {e}
              </button>
            );
          })}
        </div>
      )}
      {history && revisions.length > 0 && (
        <ol class="revisions" aria-label="Edit history">
          {revisions.map((r, i) => (
            <li key={i}>
              <time dateTime={r.editedAt}>{formatTime(r.editedAt)}</time>: {r.body}
            </li>
          ))}
          <li>
            Now: {m.body}
          </li>
        </ol>
      )}
      {error && <p role="alert">{error}</p>}
    </article>
  );
}
