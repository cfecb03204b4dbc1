// One conversation, for the visitor and for the page's staff: the
// "Messages" log (first page by query, then live from messageAdded resumed
// after the last seq shown on every reconnect), "Seen", typing, and the
// composer (attachments, saved replies for staff, can-reply explanation).
// Each message can be quoted and reacted to; its sender edits (15 min) or
// unsends (24 h) it, changes arrive live through messageUpdated, and a
// page's ADMINs read the edit history of PAGE messages. Staff see the
// thread's notes among the messages, and their sends carry
// expectedLastSeq: when a colleague (or the visitor) wrote meanwhile the
// server refuses with STALE_THREAD, the new message is shown and the
// draft stays for a second look.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useMutation, useQuery } from '@urql/preact';
import { useApi } from '../api';
import { useConnection } from '../connection';
import { graphql } from '../gql';
import type { MessageFieldsFragment, NoteFieldsFragment } from '../gql/graphql';
import { errorCode, errorText } from '../errors';
import { formatTime } from '../format';
import { mergeBySeq, resumeAfter, upsertMessages } from '../messages';
import { Composer, type Outgoing } from './Composer';
import { NoteItem } from './Notes';
import { MessageItem, type Quote } from './MessageItem';

export const MessageFields = graphql(`
  fragment MessageFields on Message {
    id
    seq
    body
    senderType
    createdAt
    editedAt
    editCount
    removedAt
    sender {
      id
      name
    }
    replyTo {
      id
      seq
      body
      senderType
      removedAt
      sender {
        id
        name
      }
    }
    reactions {
      emoji
      count
      viewerReacted
    }
    revisions {
      body
      editedAt
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

const MessageChanges = graphql(`
  subscription MessageChanges($threadId: ID!) {
    messageUpdated(threadId: $threadId) {
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
  /** The signed-in person: their own messages get Edit and Unsend. */
  viewerId?: string | null;
  /** A page ADMIN: PAGE messages show their edit history. */
  isAdmin?: boolean;
  /** Staff only: the thread's notes, shown among the messages by time. */
  notes?: readonly NoteFieldsFragment[];
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

  // Edits, unsends and reactions, live.
  useEffect(() => {
    if (!threadId || loadedFor !== threadId || !conn.connected) return;
    const sub = api.urql.subscription(MessageChanges, { threadId }).subscribe((r) => {
      const m = r.data?.messageUpdated;
      if (m) setMessages((cur) => upsertMessages(cur, [m]));
    });
    return () => sub.unsubscribe();
  }, [api, threadId, loadedFor, conn.connected, conn.epoch]);

  // The newest page again: after a reconnect (changes are not replayed)
  // and when a send was refused as stale.
  const fetchNewest = useCallback(async () => {
    if (!threadId) return;
    const r = await api.urql.query(EarlierMessages, { id: threadId, before: null }, { requestPolicy: 'network-only' }).toPromise();
    const n = r.data?.node;
    if (n && 'messages' in n) setMessages((cur) => upsertMessages(cur, n.messages.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? []));
  }, [api, threadId]);
  useEffect(() => {
    if (threadId && loadedFor === threadId && conn.epoch > 1) void fetchNewest();
  }, [conn.epoch]); // eslint-disable-line react-hooks/exhaustive-deps

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

  const [replyTo, setReplyTo] = useState<Quote | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const quote = (q: Quote) => {
    setReplyTo(q);
    rootRef.current?.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
  };
  const changed = (m: MessageFieldsFragment) => setMessages((cur) => upsertMessages(cur, [m]));

  const send = async (out: Outgoing): Promise<string | null> => {
    const clientMessageId = crypto.randomUUID();
    const replyToId = replyTo?.id;
    if (threadId) {
      // Staff answer what they have seen: a newer message from someone
      // else makes the server refuse (STALE_THREAD) and store nothing.
      const expectedLastSeq = side === 'staff' && messages.length ? messages[messages.length - 1].seq : undefined;
      const r = await sendMessage({ input: { threadId, body: out.body, attachments: out.attachments, clientMessageId, replyToId, expectedLastSeq } });
      if (errorCode(r.error) === 'STALE_THREAD') {
        await fetchNewest();
        return 'Someone else wrote in this conversation while you were typing: read the new message above, then send again (your text is kept).';
      }
      if (r.error) {
        // The rules moved under us (window closed, blocked...): show the state.
        refresh();
        return errorText(r.error);
      }
      const m = r.data?.sendMessage.message;
      if (m) setMessages((cur) => mergeBySeq(cur, [m]));
      setReplyTo(null);
      return null;
    }
    const r = await sendToPage({
      input: { pageId: props.pageId!, body: out.body, attachments: out.attachments, clientMessageId, replyToId },
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

  // Notes sit among the messages by time (staff only).
  const notes = props.notes ?? [];
  const items: ({ kind: 'm'; m: MessageFieldsFragment } | { kind: 'n'; n: NoteFieldsFragment })[] = [];
  let ni = 0;
  for (const m of messages) {
    while (ni < notes.length && Date.parse(notes[ni].createdAt) < Date.parse(m.createdAt)) items.push({ kind: 'n', n: notes[ni++] });
    items.push({ kind: 'm', m });
  }
  while (ni < notes.length) items.push({ kind: 'n', n: notes[ni++] });

  return (
    <div class="conversation" ref={rootRef}>
      <div class="log" role="log" aria-label="Messages" ref={logRef} tabIndex={0}>
        {earlier.has && (
          <button type="button" class="link earlier" onClick={() => void loadEarlier()}>
            Load earlier messages
          </button>
        )}
        {threadId && thread.fetching && messages.length === 0 && <p class="muted">Loading messages…</p>}
        {messages.length === 0 && !thread.fetching && <p class="muted">No messages yet. Say hello!</p>}
        {items.map((it) =>
          it.kind === 'n' ? (
            <NoteItem key={`n-${it.n.id}`} n={it.n} viewerId={props.viewerId ?? null} />
          ) : (
            <MessageItem
              key={it.m.seq}
              m={it.m}
              mine={it.m.senderType === mine}
              side={side}
              pageName={props.pageName}
              visitorName={visitorName}
              viewerId={props.viewerId ?? null}
              isAdmin={!!props.isAdmin}
              onQuote={quote}
              onChanged={changed}
            />
          ),
        )}
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
          <Composer
            onSend={send}
            onTyping={typing}
            savedReplies={props.savedReplies}
            above={
              replyTo && (
                <p class="quoting">
                  <span>
                    Replying to {replyTo.who}: “{replyTo.body || 'attachment'}”
                  </span>{' '}
                  <button type="button" class="link" onClick={() => setReplyTo(null)}>
                    Cancel quote
                  </button>
                </p>
              )
            }
          />
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
