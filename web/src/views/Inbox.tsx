// /app/pages/<handle>/inbox: the page's shared inbox for ADMIN and
// MODERATOR staff. The "Conversations" list is paginated (30 at a time,
// "Load more") and kept live by inboxEvent; filters and full-text search
// run on the server. Picking a conversation opens it beside the list (on
// a phone, instead of it). The team inbox: sort by newest activity,
// longest waiting or priority; per conversation priority, snooze, staff
// notes with @mentions, and who else has it open (setViewing).
//
// The list must stay put while things happen elsewhere: rows are keyed by
// thread id, the effects that load and subscribe depend only on stable
// values (ids, the filter's JSON, the connection epoch), and only events
// that can change what the list holds (a message, a new or updated
// thread) reload a filtered or sorted list; notes, edits, reactions, read
// marks and viewers replace a row in place.
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Link, useLocation, useSearch } from 'wouter-preact';
import { useMutation, useQuery } from '@urql/preact';
import { useApi } from '../api';
import { useConnection } from '../connection';
import { graphql } from '../gql';
import type { InboxEventsSubscription, InboxPageQuery, NoteFieldsFragment, ThreadFilter, ThreadPriority, ThreadRowFragment, ThreadSort, ThreadStatus } from '../gql/graphql';
import { errorText } from '../errors';
import { formatTime } from '../format';
import { Conversation } from '../components/Conversation';
import { NoteComposer, type StaffMember } from '../components/Notes';
import { useViewer } from '../viewer';
import { applyInboxEvent } from '../inboxRows';

export const ThreadRow = graphql(`
  fragment ThreadRow on Thread {
    id
    kind
    title
    snippet
    lastMessageAt
    unreadCount
    status
    labels
    priority
    snoozedUntil
    waitingSince
    viewers {
      id
      name
    }
    assignee {
      id
      name
    }
    visitor {
      id
      name
      handle
    }
  }
`);

const InboxPageDoc = graphql(`
  query InboxPage($handle: String!) {
    page(handle: $handle) {
      id
      name
      handle
      viewerRole
      unreadThreadCount
      members {
        id
        role
        user {
          id
          name
          handle
        }
      }
      savedReplies {
        id
        shortcut
        title
        body
      }
    }
  }
`);

const InboxThreads = graphql(`
  query InboxThreads($handle: String!, $first: Int!, $after: Cursor, $filter: ThreadFilter) {
    page(handle: $handle) {
      id
      threads(first: $first, after: $after, filter: $filter) {
        edges {
          node {
            ...ThreadRow
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const InboxEvents = graphql(`
  subscription InboxEvents($pageId: ID!) {
    inboxEvent(pageId: $pageId) {
      kind
      thread {
        ...ThreadRow
      }
      note {
        ...NoteFields
      }
    }
  }
`);

const UpdateThread = graphql(`
  mutation UpdateThread($input: UpdateThreadInput!) {
    updateThread(input: $input) {
      thread {
        ...ThreadRow
      }
    }
  }
`);

const BlockUser = graphql(`
  mutation BlockUser($pageId: ID!, $userId: ID!) {
    blockUser(input: { pageId: $pageId, userId: $userId }) {
      page {
        id
      }
    }
  }
`);

const OneThread = graphql(`
  query OneThread($id: ID!) {
    node(id: $id) {
      ... on Thread {
        ...ThreadRow
      }
    }
  }
`);

const ThreadNotes = graphql(`
  query ThreadNotes($id: ID!) {
    node(id: $id) {
      ... on Thread {
        id
        notes(first: 100) {
          edges {
            node {
              ...NoteFields
            }
          }
        }
      }
    }
  }
`);

const SetViewing = graphql(`
  mutation SetViewing($threadId: ID!, $viewing: Boolean!) {
    setViewing(input: { threadId: $threadId, viewing: $viewing })
  }
`);

const PAGE_SIZE = 30;

type InboxEvent = InboxEventsSubscription['inboxEvent'];

/** Lets the open conversation hear the inbox's events without a second subscription. */
class EventBus {
  private listeners = new Set<(ev: InboxEvent) => void>();
  emit(ev: InboxEvent) {
    this.listeners.forEach((l) => l(ev));
  }
  listen(l: (ev: InboxEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

/** Whether only the server knows which threads the list holds and in what order. */
function serverOrdered(f: ThreadFilter): boolean {
  return !!(f.status || f.unread != null || f.assigneeId || f.label || f.search || f.priority || (f.sort && f.sort !== 'LAST_MESSAGE_AT'));
}

/** Events that can change which threads a filtered or sorted list holds, or their order. */
const reorders = new Set<InboxEvent['kind']>(['MESSAGE_ADDED', 'THREAD_CREATED', 'THREAD_UPDATED']);

const priorities: { value: ThreadPriority; label: string }[] = [
  { value: 'NONE', label: 'None' },
  { value: 'LOW', label: 'Low' },
  { value: 'MEDIUM', label: 'Medium' },
  { value: 'HIGH', label: 'High' },
  { value: 'URGENT', label: 'Urgent' },
];

type Member = NonNullable<NonNullable<InboxPageQuery['page']>['members']>[number];

export function Inbox({ handle }: { handle: string }) {
  const variables = useMemo(() => ({ handle }), [handle]);
  const [{ data, error, fetching }] = useQuery({ query: InboxPageDoc, variables });
  // A mutation elsewhere (a note, a send) makes urql fetch the page again;
  // keep showing the last answer meanwhile instead of unmounting the list.
  const last = useRef<InboxPageQuery['page']>(null);
  if (data?.page) last.current = data.page;
  else if (data && !fetching) last.current = null;
  const page = last.current?.handle === handle ? last.current : undefined;
  if (error && !page) return <p role="alert">{errorText(error)}</p>;
  if (!page) return fetching ? <p class="muted">Loading…</p> : <h1>No page called @{handle}</h1>;
  if (page.viewerRole !== 'ADMIN' && page.viewerRole !== 'MODERATOR')
    return (
      <div>
        <h1>{page.name}: inbox</h1>
        <p role="alert">Only the page's admins and moderators can read its inbox.</p>
      </div>
    );
  return <InboxView page={page} />;
}

function InboxView({ page }: { page: NonNullable<InboxPageQuery['page']> }) {
  const api = useApi();
  const conn = useConnection(api.status);
  const [filter, setFilter] = useState<ThreadFilter>({});
  const [rows, setRows] = useState<ThreadRowFragment[]>([]);
  const [next, setNext] = useState<{ has: boolean; cursor: string | null }>({ has: false, cursor: null });
  const [loading, setLoading] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  // The open conversation is in the address (?thread=<id>): links can
  // point at it, and Back on a phone returns to the list.
  const [, navigate] = useLocation();
  const selected = new URLSearchParams(useSearch()).get('thread');
  const setSelected = (id: string | null) => navigate(`/pages/${page.handle}/inbox${id ? `?thread=${encodeURIComponent(id)}` : ''}`);
  const [linked, setLinked] = useState<ThreadRowFragment | null>(null);
  const [readVersion, setReadVersion] = useState(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const [bus] = useState(() => new EventBus());
  const viewer = useViewer();

  // A first page's answer can leave the server before a live event that
  // it does not include arrives (the subscription starts with the load on
  // connect): events that come while a first page loads are applied again
  // on top of it, and an answer overtaken by a newer load is dropped.
  const firstPage = useRef<{ gen: number; events: InboxEvent[] | null }>({ gen: 0, events: null });
  const load = useCallback(
    async (after: string | null) => {
      const gen = after ? firstPage.current.gen : ++firstPage.current.gen;
      if (!after) firstPage.current.events = [];
      setLoading(true);
      const r = await api.urql
        .query(InboxThreads, { handle: page.handle, first: PAGE_SIZE, after, filter: filterRef.current }, { requestPolicy: 'network-only' })
        .toPromise();
      if (gen !== firstPage.current.gen) return;
      // (A filtered or sorted list reloads on those events instead.)
      const during = after || serverOrdered(filterRef.current) ? [] : (firstPage.current.events ?? []);
      if (!after) firstPage.current.events = null;
      setLoading(false);
      setListError(errorText(r.error));
      const conn = r.data?.page?.threads;
      if (!conn) return;
      const got = conn.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
      setRows((cur) => (after ? [...cur, ...got.filter((g) => !cur.some((c) => c.id === g.id))] : during.reduce(applyInboxEvent, got)));
      setNext({ has: conn.pageInfo.hasNextPage, cursor: conn.pageInfo.endCursor ?? null });
    },
    [api, page.handle],
  );

  // First page on open, on a filter change, and after a reconnect (events
  // missed while offline are not replayed).
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    const t = setTimeout(() => void load(null), filter.search || filter.label ? 250 : 0);
    return () => clearTimeout(t);
  }, [filterKey, conn.epoch, load]); // eslint-disable-line react-hooks/exhaustive-deps

  // Live: move changed conversations to the top, or reload when filtered
  // (the server decides what matches).
  useEffect(() => {
    if (!conn.connected) return;
    let reload: ReturnType<typeof setTimeout> | undefined;
    const sub = api.urql.subscription(InboxEvents, { pageId: page.id }).subscribe((r) => {
      const ev = r.data?.inboxEvent;
      if (!ev) return;
      if (ev.kind === 'THREAD_READ') setReadVersion((v) => v + 1);
      bus.emit(ev);
      firstPage.current.events?.push(ev);
      if (reorders.has(ev.kind) && serverOrdered(filterRef.current)) {
        clearTimeout(reload);
        reload = setTimeout(() => void load(null), 300);
        return;
      }
      setRows((cur) => applyInboxEvent(cur, ev));
      setLinked((l) => (l?.id === ev.thread.id ? ev.thread : l));
    });
    return () => {
      clearTimeout(reload);
      sub.unsubscribe();
    };
  }, [api, page.id, conn.connected, conn.epoch, load, bus]);

  // A linked conversation that is not on the loaded pages is fetched alone.
  const inRows = rows.find((r) => r.id === selected);
  useEffect(() => {
    if (!selected || inRows || linked?.id === selected) return;
    void api.urql
      .query(OneThread, { id: selected })
      .toPromise()
      .then((r) => {
        const n = r.data?.node;
        if (n && 'snippet' in n) setLinked(n as ThreadRowFragment);
      });
  }, [selected, inRows, linked, api]);
  const current = inRows ?? (linked?.id === selected ? linked : undefined);
  const members = page.members;
  const staff = useMemo(() => (members ?? []).filter((m) => m.role !== 'ANALYST'), [members]);

  return (
    <div class={`inbox ${selected ? 'has-selection' : ''}`}>
      <div class="inbox-head">
        <h1>{page.name}: inbox</h1>
        <p>
          <Link href={`/pages/${page.handle}`}>Page and wall</Link> · <Link href={`/pages/${page.handle}/settings`}>Settings</Link>
        </p>
      </div>
      <div class="inbox-list">
        <Filters filter={filter} setFilter={setFilter} staff={staff} />
        {listError && <p role="alert">{listError}</p>}
        <ul class="threads" aria-label="Conversations" aria-busy={loading}>
          {rows.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                class={`thread-row ${t.id === selected ? 'selected' : ''}`}
                aria-current={t.id === selected ? 'true' : undefined}
                onClick={() => setSelected(t.id)}
              >
                <span class="name">{t.visitor?.name ?? t.title ?? 'Group chat'}</span>
                {t.unreadCount > 0 && <span class="badge">{t.unreadCount} unread</span>}
                {t.priority && t.priority !== 'NONE' && <span class={`badge prio-${t.priority.toLowerCase()}`}>{t.priority.toLowerCase()} priority</span>}
                {t.status === 'SNOOZED' ? (
                  <span class="badge muted">snoozed{t.snoozedUntil ? ` until ${formatTime(t.snoozedUntil)}` : ''}</span>
                ) : (
                  t.status && t.status !== 'OPEN' && <span class="badge muted">{t.status.toLowerCase()}</span>
                )}
                <span class="snippet">{t.snippet}</span>
                <span class="row-meta">
                  <time dateTime={t.lastMessageAt}>{formatTime(t.lastMessageAt)}</time>
                  {t.waitingSince && <> · waiting since {formatTime(t.waitingSince)}</>}
                  {t.assignee && <> · {t.assignee.name}</>}
                  {t.labels?.map((l) => (
                    <span key={l} class="label">
                      {l}
                    </span>
                  ))}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {!loading && rows.length === 0 &&
          (filterKey !== '{}' ? (
            <p class="muted empty">No conversations match.</p>
          ) : (
            // A new page's first visit: say where conversations come from.
            <p class="muted empty">
              No conversations yet. People write to {page.name} from its page, <Link href={`/pages/${page.handle}`}>/app/pages/{page.handle}</Link>: share that address.
            </p>
          ))}
        {next.has && (
          <button type="button" onClick={() => void load(next.cursor)} disabled={loading}>
            Load more conversations
          </button>
        )}
      </div>
      <div class="inbox-thread">
        {current ? (
          <ThreadPane
            key={current.id}
            t={current}
            page={page}
            staff={staff}
            readVersion={readVersion}
            bus={bus}
            viewerId={viewer?.id ?? null}
            onBack={() => setSelected(null)}
            onUpdated={(t) => {
              setRows((cur) => cur.map((c) => (c.id === t.id ? t : c)));
              if (linked?.id === t.id) setLinked(t);
            }}
          />
        ) : (
          <p class="muted placeholder">Pick a conversation.</p>
        )}
      </div>
    </div>
  );
}

function Filters({ filter, setFilter, staff }: { filter: ThreadFilter; setFilter: (f: ThreadFilter) => void; staff: Member[] }) {
  const set = (patch: Partial<ThreadFilter>) => setFilter({ ...filter, ...patch });
  return (
    <form role="search" class="filters" aria-label="Filter conversations" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search conversations
        <input type="search" value={filter.search ?? ''} onInput={(e) => set({ search: (e.target as HTMLInputElement).value || undefined })} />
      </label>
      <label>
        Filter by status
        <select aria-label="Filter by status"
          value={filter.status ?? ''}
          onChange={(e) => set({ status: ((e.target as HTMLSelectElement).value || undefined) as ThreadStatus | undefined })}
        >
          <option value="">Any</option>
          <option value="OPEN">Open</option>
          <option value="DONE">Done</option>
          <option value="SPAM">Spam</option>
          <option value="SNOOZED">Snoozed</option>
        </select>
      </label>
      <label>
        Filter by priority
        <select aria-label="Filter by priority"
          value={filter.priority ?? ''}
          onChange={(e) => set({ priority: ((e.target as HTMLSelectElement).value || undefined) as ThreadPriority | undefined })}
        >
          <option value="">Any</option>
          {priorities.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort by
        <select aria-label="Sort by"
          value={filter.sort ?? 'LAST_MESSAGE_AT'}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value as ThreadSort;
            set({ sort: v === 'LAST_MESSAGE_AT' ? undefined : v });
          }}
        >
          <option value="LAST_MESSAGE_AT">Newest activity</option>
          <option value="WAITING_LONGEST">Longest waiting</option>
          <option value="PRIORITY">Priority</option>
        </select>
      </label>
      <label>
        Filter by assignee
        <select aria-label="Filter by assignee" value={filter.assigneeId ?? ''} onChange={(e) => set({ assigneeId: (e.target as HTMLSelectElement).value || undefined })}>
          <option value="">Anyone</option>
          {staff.map((m) => (
            <option key={m.user.id} value={m.user.id}>
              {m.user.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Filter by label
        <input value={filter.label ?? ''} onInput={(e) => set({ label: (e.target as HTMLInputElement).value.trim() || undefined })} />
      </label>
      <label class="check">
        <input type="checkbox" checked={filter.unread === true} onChange={(e) => set({ unread: (e.target as HTMLInputElement).checked || undefined })} />
        Unread only
      </label>
    </form>
  );
}

function ThreadPane(props: {
  t: ThreadRowFragment;
  page: NonNullable<InboxPageQuery['page']>;
  staff: Member[];
  readVersion: number;
  bus: EventBus;
  viewerId: string | null;
  onBack: () => void;
  onUpdated: (t: ThreadRowFragment) => void;
}) {
  const { t, page, bus, viewerId } = props;
  const api = useApi();
  const conn = useConnection(api.status);
  const [notes, setNotes] = useState<NoteFieldsFragment[]>([]);
  const addNote = useCallback((n: NoteFieldsFragment) => setNotes((cur) => (cur.some((c) => c.id === n.id) ? cur : [...cur, n])), []);

  // Notes: the first 100 on open (and after a reconnect), then live.
  useEffect(() => {
    let live = true;
    void api.urql
      .query(ThreadNotes, { id: t.id }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        const n = r.data?.node;
        if (live && n && 'notes' in n) setNotes(n.notes?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? []);
      });
    return () => {
      live = false;
    };
  }, [api, t.id, conn.epoch]);
  useEffect(() => bus.listen((ev) => ev.kind === 'NOTE_ADDED' && ev.thread.id === t.id && ev.note && addNote(ev.note)), [bus, t.id, addNote]);

  // "X is viewing": say we have it open, renew within the server's 30 s,
  // and say we left when it closes.
  useEffect(() => {
    if (!conn.connected) return;
    const say = (viewing: boolean) => void api.urql.mutation(SetViewing, { threadId: t.id, viewing }).toPromise();
    say(true);
    const renew = setInterval(() => say(true), 20_000);
    return () => {
      clearInterval(renew);
      say(false);
    };
  }, [api, t.id, conn.connected]);
  const others = (t.viewers ?? []).filter((u) => u.id !== viewerId);
  const mentionable: StaffMember[] = useMemo(() => props.staff.map((m) => ({ id: m.user.id, name: m.user.name, handle: m.user.handle })), [props.staff]);
  const [snoozeAt, setSnoozeAt] = useState(() => localInput(new Date(Date.now() + 3600_000)));
  const [manageOpen, setManageOpen] = useState(() => !window.matchMedia?.('(max-width: 700px)').matches);
  const [state, update] = useMutation(UpdateThread);
  const [, block] = useMutation(BlockUser);
  const [label, setLabel] = useState('');
  const [blocked, setBlocked] = useState(false);
  const name = t.visitor?.name ?? t.title ?? 'Group chat';
  const change = async (input: Omit<Parameters<typeof update>[0]['input'], 'threadId'>) => {
    const r = await update({ input: { threadId: t.id, ...input } });
    if (r.data) props.onUpdated(r.data.updateThread.thread);
  };
  return (
    <section class="thread-pane" aria-labelledby="thread-heading">
      <button type="button" class="link back" onClick={props.onBack}>
        ← Back to conversations
      </button>
      <h2 id="thread-heading">{name}</h2>
      {/* On a phone the controls fold away so the conversation is on screen. */}
      <details class="manage" open={manageOpen} onToggle={(e) => setManageOpen((e.target as HTMLDetailsElement).open)}>
        <summary>Manage conversation (status, priority, snooze, assignee, labels)</summary>
        <div class="thread-controls">
          <label>
            Conversation status
            <select aria-label="Conversation status" value={t.status ?? 'OPEN'} onChange={(e) => change({ status: (e.target as HTMLSelectElement).value as ThreadStatus })}>
              <option value="OPEN">Open</option>
              <option value="DONE">Done</option>
              <option value="SPAM">Spam</option>
              <option value="SNOOZED" disabled>
                Snoozed
              </option>
            </select>
          </label>
          <label>
            Priority
            <select aria-label="Priority" value={t.priority ?? 'NONE'} onChange={(e) => change({ priority: (e.target as HTMLSelectElement).value as ThreadPriority })}>
              {priorities.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <form
            class="snooze"
            onSubmit={(e) => {
              e.preventDefault();
              const at = new Date(snoozeAt);
              if (!isNaN(at.getTime())) void change({ snoozedUntil: at.toISOString() });
            }}
          >
            <label>
              Snooze until
              <input type="datetime-local" step={1} value={snoozeAt} onInput={(e) => setSnoozeAt((e.target as HTMLInputElement).value)} />
            </label>
            <button type="submit">Snooze</button>
          </form>
          <label>
            Assignee
            <select aria-label="Assignee"
              value={t.assignee?.id ?? ''}
              onChange={(e) => {
                const v = (e.target as HTMLSelectElement).value;
                void change(v ? { assigneeId: v } : { clearAssignee: true });
              }}
            >
              <option value="">Nobody</option>
              {props.staff.map((m) => (
                <option key={m.user.id} value={m.user.id}>
                  {m.user.name}
                </option>
              ))}
            </select>
          </label>
          <div class="labels">
            <ul aria-label="Labels">
              {t.labels?.map((l) => (
                <li key={l} class="label">
                  {l}{' '}
                  <button type="button" class="link" aria-label={`Remove label ${l}`} onClick={() => change({ removeLabels: [l] })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                if (label.trim()) void change({ addLabels: [label.trim()] }).then(() => setLabel(''));
              }}
            >
              <label>
                New label
                <input value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
              </label>
              <button type="submit">Add label</button>
            </form>
          </div>
          {t.visitor && (
            <button
              type="button"
              class="secondary"
              disabled={blocked}
              onClick={() => {
                if (confirm(`Block ${name}? They will not be able to write to ${page.name}.`))
                  void block({ pageId: page.id, userId: t.visitor!.id }).then((r) => !r.error && setBlocked(true));
              }}
            >
              {blocked ? `${name} is blocked` : `Block ${name}`}
            </button>
          )}
        </div>
      </details>
      {t.status === 'SNOOZED' && t.snoozedUntil && (
        <p class="snoozed" role="status">
          Snoozed until {formatTime(t.snoozedUntil)}: it comes back to Open then, or when {name} writes.
        </p>
      )}
      <p class="viewers" aria-live="polite">
        {others.length > 0 && `${others.map((u) => u.name).join(', ')} ${others.length === 1 ? 'is' : 'are'} viewing`}
      </p>
      {state.error && <p role="alert">{errorText(state.error)}</p>}
      <Conversation
        threadId={t.id}
        side="staff"
        pageName={page.name}
        savedReplies={page.savedReplies ?? []}
        readVersion={props.readVersion}
        viewerId={viewerId}
        isAdmin={page.viewerRole === 'ADMIN'}
        notes={notes}
      />
      <NoteComposer threadId={t.id} staff={mentionable} onAdded={addNote} />
    </section>
  );
}

/** A date as a datetime-local input value (local time, to the second). */
function localInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
