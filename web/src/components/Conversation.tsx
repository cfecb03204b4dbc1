// One conversation, for the visitor and for the page's staff: the
// "Messages" log (first page by query, then live from messageAdded resumed
// after the last seq shown on every reconnect), "Seen", typing, and the
// composer (attachments, saved replies for staff, can-reply explanation).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import { useApi } from '../api';
import { useConnection } from '../connection';
import { graphql } from '../gql';
import type { MessageFieldsFragment } from '../gql/graphql';
import { errorText } from '../errors';
import { formatTime } from '../format';
import { mergeBySeq, resumeAfter } from '../messages';
import { Composer, type Outgoing } from './Composer';

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    seq
    body
    senderType
    createdAt
    sender {
      id
      name
    }
    attachments {
      type
      url
      name
      mimeType
      size
      title
    }
    referral {
      source
      comment {
        id
        body
      }
      post {
        id
        body
      }
      ad {
        title
      }
    }
  }
`);

const ConversationQuery = graphql(`
  query Conversation($id: ID!) {
    node(id: $id) {
      ... on Thread {
        id
        canReply
        replyWindowEndsAt
        visitorLastReadAt
        pageLastReadAt
        unreadCount
        visitor {
          id
          name
        }
        page {
          id
          name
        }
        messages(last: 50) {
          edges {
            node {
              ...MessageFields
            }
          }
          pageInfo {
            hasPreviousPage
            startCursor
          }
        }
      }
    }
  }
`);

const EarlierMessages = graphql(`
  query EarlierMessages($id: ID!, $before: Cursor) {
    node(id: $id) {
      ... on Thread {
        id
        messages(last: 50, before: $before) {
          edges {
            node {
              ...MessageFields
            }
          }
          pageInfo {
            hasPreviousPage
            startCursor
          }
        }
      }
    }
  }
`);

const MessageStream = graphql(`
  subscription MessageStream($threadId: ID!, $after: Int) {
    messageAdded(threadId: $threadId, after: $after) {
      ...MessageFields
    }
  }
`);

const TypingStream = graphql(`
  subscription TypingStream($threadId: ID!) {
    typing(threadId: $threadId) {
      typing
      senderType
      user {
        id
        name
      }
    }
  }
`);

const SendMessage = graphql(`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) {
      message {
        ...MessageFields
      }
      thread {
        id
        canReply
        replyWindowEndsAt
      }
    }
  }
`);

const SendMessageToPage = graphql(`
  mutation SendMessageToPage($input: SendMessageToPageInput!) {
    sendMessageToPage(input: $input) {
      message {
        ...MessageFields
      }
      thread {
        id
        canReply
      }
    }
  }
`);

const MarkRead = graphql(`
  mutation MarkThreadRead($threadId: ID!) {
    markThreadRead(input: { threadId: $threadId }) {
      thread {
        id
        unreadCount
      }
    }
  }
`);

const SetTyping = graphql(`
  mutation SetTyping($threadId: ID!, $typing: Boolean!) {
    setTyping(input: { threadId: $threadId, typing: $typing })
  }
`);

export interface SavedReplyOption {
  id: string;
  shortcut: string;
  title: string;
  body: string;
}

interface Props {
  /** null: the visitor has not written yet; the first send creates the thread. */
  threadId: string | null;
  side: 'visitor' | 'staff';
  /** Visitor's first message goes to this page. */
  pageId?: string;
  pageName: string;
  onThreadCreated?: (threadId: string) => void;
  savedReplies?: readonly SavedReplyOption[];
  /** Changes when the thread's read marks may have moved (staff: inbox THREAD_READ events). */
  readVersion?: number;
}

const mySenderType = { visitor: 'VISITOR', staff: 'PAGE' } as const;

export function Conversation(props: Props) {
  const { threadId, side } = props;
  const api = useApi();
  const conn = useConnection(api.status);
  const [messages, setMessages] = useState<MessageFieldsFragment[]>([]);
  const messagesRef = useRef(messages);
  messagesRef.current = messages;
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  const [typingName, setTypingName] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<{ has: boolean; cursor: string | null }>({ has: false, cursor: null });

  const [thread, refetchThread] = useQuery({
    query: ConversationQuery,
    variables: { id: threadId ?? '' },
    pause: !threadId,
    requestPolicy: 'network-only',
  });
  const node = thread.data?.node;
  const t = node && 'canReply' in node ? node : null;

  // A new thread: start from its first page of messages.
  useEffect(() => {
    setMessages([]);
    setLoadedFor(null);
    setTypingName(null);
    setEarlier({ has: false, cursor: null });
  }, [threadId]);
  useEffect(() => {
    if (t && t.id === threadId && loadedFor !== threadId) {
      setMessages((cur) => mergeBySeq(cur, t.messages.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? []));
      setEarlier({ has: t.messages.pageInfo.hasPreviousPage, cursor: t.messages.pageInfo.startCursor ?? null });
      setLoadedFor(threadId);
    }
  }, [t, threadId, loadedFor]);

  // Live messages: (re)subscribe on every connect, after the last seq shown.
  useEffect(() => {
    if (!threadId || loadedFor !== threadId || !conn.connected) return;
    const after = resumeAfter(messagesRef.current);
    const sub = api.urql.subscription(MessageStream, { threadId, after }).subscribe((r) => {
      const m = r.data?.messageAdded;
      if (m) setMessages((cur) => mergeBySeq(cur, [m]));
    });
    return () => sub.unsubscribe();
  }, [api, threadId, loadedFor, conn.connected, conn.epoch]);

  const loadEarlier = async () => {
    if (!threadId) return;
    const r = await api.urql.query(EarlierMessages, { id: threadId, before: earlier.cursor }, { requestPolicy: 'network-only' }).toPromise();
    const n = r.data?.node;
    if (!n || !('messages' in n)) return;
    setMessages((cur) => mergeBySeq(cur, n.messages.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? []));
    setEarlier({ has: n.messages.pageInfo.hasPreviousPage, cursor: n.messages.pageInfo.startCursor ?? null });
  };

  // Read marks, can-reply and the window may have moved while we were away.
  const refresh = useCallback(() => refetchThread({ requestPolicy: 'network-only' }), [refetchThread]);
  useEffect(() => {
    if (threadId && conn.epoch > 1) refresh();
  }, [conn.epoch]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (threadId && props.readVersion) refresh();
  }, [props.readVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  // The reply window closes on its own: show why sending stopped, on time.
  const windowEnds = t?.replyWindowEndsAt;
  useEffect(() => {
    if (!windowEnds) return;
    const ms = new Date(windowEnds).getTime() - Date.now();
    if (ms < 0 || ms > 2 ** 31 - 1) return;
    const id = setTimeout(refresh, ms + 250);
    return () => clearTimeout(id);
  }, [windowEnds, refresh]);

  // The visitor hears of no read events: look again now and then while open.
  useEffect(() => {
    if (!threadId || side !== 'visitor') return;
    const id = setInterval(() => document.visibilityState === 'visible' && refresh(), 15_000);
    return () => clearInterval(id);
  }, [threadId, side, refresh]);

  // Typing of the other side.
  useEffect(() => {
    if (!threadId || !conn.connected) return;
    let clear: ReturnType<typeof setTimeout> | undefined;
    const sub = api.urql.subscription(TypingStream, { threadId }).subscribe((r) => {
      const ev = r.data?.typing;
      if (!ev || ev.senderType === mySenderType[side]) return;
      clearTimeout(clear);
      if (ev.typing) {
        const who = ev.senderType === 'PAGE' ? ev.user?.name ?? props.pageName : ev.user?.name ?? 'Visitor';
        setTypingName(who);
        clear = setTimeout(() => setTypingName(null), 7000);
      } else setTypingName(null);
    });
    return () => {
      clearTimeout(clear);
      sub.unsubscribe();
    };
  }, [api, threadId, side, conn.connected, conn.epoch, props.pageName]);

  // What the other side wrote is read once it is on screen.
  const [, markRead] = useMutation(MarkRead);
  const lastOther = [...messages].reverse().find((m) => m.senderType !== mySenderType[side]);
  const needsRecheck = t?.canReply === false || !!t?.replyWindowEndsAt;
  useEffect(() => {
    if (!threadId || !lastOther) return;
    setTypingName(null);
    // A visitor's message may reopen the reply window or end the wait
    // after a private reply: look at can-reply again.
    if (loadedFor === threadId && needsRecheck) refresh();
    if (document.visibilityState !== 'visible') return;
    void markRead({ threadId });
  }, [threadId, lastOther?.seq]); // eslint-disable-line react-hooks/exhaustive-deps

  // Keep the newest message in view.
  const logRef = useRef<HTMLDivElement>(null);
  const newest = messages[messages.length - 1]?.seq;
  useEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [newest, typingName]);

  const [, sendMessage] = useMutation(SendMessage);
  const [, sendToPage] = useMutation(SendMessageToPage);
  const [, setTyping] = useMutation(SetTyping);

  const send = async (out: Outgoing): Promise<string | null> => {
    const clientMessageId = crypto.randomUUID();
    if (threadId) {
      const r = await sendMessage({ input: { threadId, body: out.body, attachments: out.attachments, clientMessageId } });
      if (r.error) {
        // The rules moved under us (window closed, blocked...): show the state.
        refresh();
        return errorText(r.error);
      }
      const m = r.data?.sendMessage.message;
      if (m) setMessages((cur) => mergeBySeq(cur, [m]));
      return null;
    }
    const r = await sendToPage({
      input: { pageId: props.pageId!, body: out.body, attachments: out.attachments, clientMessageId },
    });
    if (r.error) return errorText(r.error);
    const p = r.data?.sendMessageToPage;
    if (p) {
      setMessages((cur) => mergeBySeq(cur, [p.message]));
      props.onThreadCreated?.(p.thread.id);
    }
    return null;
  };

  const typing = threadId ? (on: boolean) => void setTyping({ threadId, typing: on }) : undefined;

  // "Seen": the other side's read mark is at or after my last message.
  const mine = mySenderType[side];
  const lastMine = [...messages].reverse().find((m) => m.senderType === mine);
  const otherRead = side === 'visitor' ? t?.pageLastReadAt : t?.visitorLastReadAt;
  const seen = lastMine && otherRead && new Date(otherRead) >= new Date(lastMine.createdAt);
  const lastMineIsLast = lastMine && messages[messages.length - 1]?.seq === lastMine.seq;

  const canReply = threadId ? (t?.canReply ?? true) : true;
  const visitorName = t?.visitor?.name ?? 'the visitor';

  return (
    <div class="conversation">
      <div class="log" role="log" aria-label="Messages" ref={logRef} tabIndex={0}>
        {earlier.has && (
          <button type="button" class="link earlier" onClick={() => void loadEarlier()}>
            Load earlier messages
          </button>
        )}
        {threadId && thread.fetching && messages.length === 0 && <p class="muted">Loading messages…</p>}
        {messages.length === 0 && !thread.fetching && <p class="muted">No messages yet. Say hello!</p>}
        {messages.map((m) => (
          <MessageItem key={m.seq} m={m} mine={m.senderType === mine} side={side} pageName={props.pageName} visitorName={visitorName} />
        ))}
        {seen && lastMineIsLast && (
          <p class="seen" aria-label="Seen">
            Seen {formatTime(otherRead!)}
          </p>
        )}
      </div>
      <p class="typing" aria-live="polite">
        {typingName ? `${typingName} is typing…` : ''}
      </p>
      {thread.error && <p role="alert">{errorText(thread.error)}</p>}
      {canReply ? (
        <>
          {side === 'staff' && t?.replyWindowEndsAt && (
            <p class="hint">You can reply until {formatTime(t.replyWindowEndsAt)} (the reply window after {visitorName}'s last message).</p>
          )}
          <Composer onSend={send} onTyping={typing} savedReplies={props.savedReplies} />
        </>
      ) : (
        <p class="cannot" role="note">
          {cannotReplyText(side, t?.replyWindowEndsAt ?? null, visitorName)}
        </p>
      )}
    </div>
  );
}

export function cannotReplyText(side: 'visitor' | 'staff', windowEnds: string | null, visitorName: string): string {
  if (side === 'visitor') return 'You cannot write to this page right now: it is not taking messages, or messaging is blocked.';
  if (windowEnds && new Date(windowEnds) < new Date())
    return `You cannot reply: the reply window closed at ${formatTime(windowEnds)}. You can answer when ${visitorName} writes again.`;
  return `You cannot send now: pages do not start conversations. You can write again when ${visitorName} answers.`;
}

function MessageItem(props: {
  m: MessageFieldsFragment;
  mine: boolean;
  side: 'visitor' | 'staff';
  pageName: string;
  visitorName: string;
}) {
  const { m } = props;
  let who: string;
  if (m.senderType === 'SYSTEM') who = `${props.pageName} (automatic reply)`;
  else if (props.mine) who = props.side === 'staff' && m.sender ? `${m.sender.name} for ${props.pageName}` : 'You';
  else if (m.senderType === 'PAGE') who = props.pageName;
  else who = m.sender?.name ?? props.visitorName;
  return (
    <article class={`msg ${props.mine ? 'mine' : 'theirs'} ${m.senderType === 'SYSTEM' ? 'system' : ''}`} aria-label={`${who}, ${formatTime(m.createdAt)}`}>
      <div class="meta">
        <span class="sender">{who}</span> <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
      </div>
      {m.referral?.source === 'COMMENT' && (
        <p class="referral">
          Private reply to the comment “{m.referral.comment?.body || '…'}”
        </p>
      )}
      {m.referral?.source === 'AD' && m.referral.ad && <p class="referral">From the ad “{m.referral.ad.title}”</p>}
      {m.body && <p class="body">{m.body}</p>}
      {m.attachments.length > 0 && (
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
    </article>
  );
}
