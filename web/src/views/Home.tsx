// /app/: signed out, log in or sign up. Signed in: the viewer's
// conversations with unread counts (live through notificationAdded), the
// pages they manage, creating a page, finding a page, blocked pages.
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { useMutation, useQuery, useSubscription } from '@urql/preact';
import { graphql } from '../gql';
import { errorText } from '../errors';
import { formatTime } from '../format';
import { setToken, useToken } from '../session';
import { Auth, Field } from './Auth';

const HomeQuery = graphql(`
  query Home {
    viewer {
      id
      name
      handle
      unreadThreadCount
      threads(first: 50) {
        edges {
          node {
            id
            kind
            title
            snippet
            lastMessageAt
            unreadCount
            page {
              id
              name
              handle
            }
          }
        }
      }
      managedPages {
        id
        role
        page {
          id
          name
          handle
          unreadThreadCount
        }
      }
      blockedPages {
        id
        name
        handle
      }
    }
  }
`);

const Notifications = graphql(`
  subscription Notifications {
    notificationAdded {
      id
      kind
    }
  }
`);

const CreatePage = graphql(`
  mutation CreatePage($input: CreatePageInput!) {
    createPage(input: $input) {
      page {
        id
        handle
      }
    }
  }
`);

const FindPages = graphql(`
  query FindPages($search: String) {
    pages(first: 20, search: $search) {
      edges {
        node {
          id
          name
          handle
          about
        }
      }
    }
  }
`);

const UnblockPage = graphql(`
  mutation UnblockPage($pageId: ID!) {
    unblockPage(input: { pageId: $pageId }) {
      page {
        id
        viewerHasBlocked
      }
    }
  }
`);

export function Home() {
  const token = useToken();
  if (!token) {
    return (
      <div class="home">
        <section class="intro">
          <h1>pageinbox</h1>
          <p>Write privately to a business page, or answer your page's visitors from a shared inbox, live.</p>
        </section>
        <Auth />
        <FindPage />
      </div>
    );
  }
  return <Dashboard />;
}

function Dashboard() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: HomeQuery });
  const [note] = useSubscription({ query: Notifications });
  useEffect(() => {
    if (note.data) refetch({ requestPolicy: 'network-only' });
  }, [note.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const [, unblock] = useMutation(UnblockPage);
  const v = data?.viewer;
  if (error && !data?.viewer) return <p role="alert">{errorText(error)}</p>;
  if (!v && data && !fetching)
    // The server no longer knows the token (logged out elsewhere, or a fresh database).
    return (
      <p role="alert">
        Your session has ended.{' '}
        <button type="button" onClick={() => setToken(null)}>
          Log in again
        </button>
      </p>
    );
  if (!v) return <p class="muted">Loading…</p>;
  const threads = v.threads?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <div class="dashboard">
      <h1>Hello, {v.name}</h1>
      <section class="card">
        <h2>Your conversations{v.unreadThreadCount ? ` (${v.unreadThreadCount} unread)` : ''}</h2>
        {threads.length === 0 ? (
          <p class="muted">No conversations yet. Find a page below and write to it.</p>
        ) : (
          <ul class="threads" aria-label="Your conversations">
            {threads.map((t) => (
              <li key={t.id}>
                <Link href={`/pages/${t.page.handle}`} class="thread-row">
                  <span class="name">{t.kind === 'GROUP' ? t.title ?? 'Group chat' : t.page.name}</span>
                  {t.unreadCount > 0 && <span class="badge">{t.unreadCount} unread</span>}
                  <span class="snippet">{t.snippet}</span>
                  <time dateTime={t.lastMessageAt}>{formatTime(t.lastMessageAt)}</time>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card">
        <h2>Pages you manage</h2>
        {(v.managedPages?.length ?? 0) === 0 && <p class="muted">None yet: create one below.</p>}
        <ul aria-label="Pages you manage">
          {v.managedPages?.map((m) => (
            <li key={m.id}>
              <Link href={`/pages/${m.page.handle}`}>{m.page.name}</Link> ({m.role.toLowerCase()}) ·{' '}
              {m.role !== 'ANALYST' && (
                <>
                  <Link href={`/pages/${m.page.handle}/inbox`} aria-label={`Inbox of ${m.page.name}`}>
                    Inbox
                  </Link>
                  {m.page.unreadThreadCount ? <span class="badge">{m.page.unreadThreadCount} unread</span> : null}{' '}
                  ·{' '}
                </>
              )}
              <Link href={`/pages/${m.page.handle}/settings`} aria-label={`Settings of ${m.page.name}`}>
                Settings
              </Link>
            </li>
          ))}
        </ul>
        <CreatePageForm />
      </section>
      <FindPage />
      {(v.blockedPages?.length ?? 0) > 0 && (
        <section class="card">
          <h2>Pages you blocked</h2>
          <ul>
            {v.blockedPages!.map((p) => (
              <li key={p.id}>
                {p.name}{' '}
                <button type="button" onClick={() => unblock({ pageId: p.id }).then(() => refetch({ requestPolicy: 'network-only' }))}>
                  Unblock {p.name}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section class="card">
        <h2>Your account</h2>
        <p>
          Handle <strong>@{v.handle}</strong>. Your user id (a page admin needs it to add you to the page's staff):{' '}
          <code>{v.id}</code>
        </p>
      </section>
    </div>
  );
}

function CreatePageForm() {
  const [, navigate] = useLocation();
  const [state, create] = useMutation(CreatePage);
  const [f, setF] = useState({ name: '', handle: '', about: '' });
  return (
    <form
      class="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await create({ input: { name: f.name, handle: f.handle, about: f.about || null } });
        if (r.data) navigate(`/pages/${r.data.createPage.page.handle}/inbox`);
      }}
    >
      <h3>Create a page</h3>
      <Field label="Page name" value={f.name} onInput={(name) => setF({ ...f, name })} />
      <Field label="Page handle" value={f.handle} onInput={(handle) => setF({ ...f, handle })} />
      <Field label="About" value={f.about} onInput={(about) => setF({ ...f, about })} required={false} />
      {state.error && <p role="alert">{errorText(state.error)}</p>}
      <button type="submit">Create page</button>
    </form>
  );
}

function FindPage() {
  const [search, setSearch] = useState('');
  const [{ data }] = useQuery({ query: FindPages, variables: { search: search || null } });
  const pages = data?.pages.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <section class="card">
      <h2>Find a page</h2>
      <label for="find-page">Search pages</label>
      <input id="find-page" type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
      <ul aria-label="Pages">
        {pages.map((p) => (
          <li key={p.id}>
            <Link href={`/pages/${p.handle}`}>{p.name}</Link> <span class="muted">@{p.handle}</span>
            {p.about && <span class="muted"> · {p.about}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
