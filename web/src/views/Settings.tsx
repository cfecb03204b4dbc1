// /app/pages/<handle>/settings: responsiveness figures (all staff), saved
// replies (ADMIN, MODERATOR), and for ADMINs the page settings (messaging
// switch, opening hours in the page's time zone, away message), staff roles
// and blocked users.
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { useMutation, useQuery } from '@urql/preact';
import { graphql } from '../gql';
import type { PageSettingsQuery, PageRole } from '../gql/graphql';
import { errorText } from '../errors';
import { clockToMinute, formatDuration, formatRate, minuteToClock, weekdays } from '../format';
import { Field } from './Auth';

const PageSettingsDoc = graphql(`
  query PageSettings($handle: String!) {
    page(handle: $handle) {
      id
      name
      handle
      about
      viewerRole
      messagingEnabled
      acceptingMessages
      awayMessage
      timeZone
      availability {
        weekday
        startMinute
        endMinute
      }
      responsiveness {
        requests
        answered
        responseRate
        medianResponseSeconds
        veryResponsive
        windowStart
        windowEnd
      }
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
      blockedUsers {
        id
        name
        handle
      }
    }
    viewer {
      id
    }
  }
`);

const UpdatePage = graphql(`
  mutation UpdatePage($input: UpdatePageInput!) {
    updatePage(input: $input) {
      page {
        id
        name
        about
        messagingEnabled
        acceptingMessages
        awayMessage
        timeZone
        availability {
          weekday
          startMinute
          endMinute
        }
      }
    }
  }
`);

const SetRole = graphql(`
  mutation SetPageRole($input: SetPageRoleInput!) {
    setPageRole(input: $input) {
      page {
        id
      }
    }
  }
`);

const CreateSavedReply = graphql(`
  mutation CreateSavedReply($input: CreateSavedReplyInput!) {
    createSavedReply(input: $input) {
      savedReply {
        id
      }
    }
  }
`);

const DeleteSavedReply = graphql(`
  mutation DeleteSavedReply($id: ID!) {
    deleteSavedReply(input: { id: $id }) {
      deletedId
    }
  }
`);

const UnblockUser = graphql(`
  mutation UnblockUser($pageId: ID!, $userId: ID!) {
    unblockUser(input: { pageId: $pageId, userId: $userId }) {
      page {
        id
      }
    }
  }
`);

type Page = NonNullable<PageSettingsQuery['page']>;

export function Settings({ handle }: { handle: string }) {
  const [{ data, error, fetching }, refetch] = useQuery({ query: PageSettingsDoc, variables: { handle } });
  const page = data?.page;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (error && !data?.page) return <p role="alert">{errorText(error)}</p>;
  if (!page) return fetching ? <p class="muted">Loading…</p> : <h1>No page called @{handle}</h1>;
  if (!page.viewerRole) return <p role="alert">Only the page's staff can see its settings.</p>;
  const admin = page.viewerRole === 'ADMIN';
  const r = page.responsiveness;
  return (
    <div class="settings">
      <h1>{page.name}: settings</h1>
      <p>
        <Link href={`/pages/${page.handle}`}>Page and wall</Link>
        {page.viewerRole !== 'ANALYST' && (
          <>
            {' '}
            · <Link href={`/pages/${page.handle}/inbox`}>Inbox</Link>
          </>
        )}
      </p>
      <section class="card" aria-labelledby="resp-heading">
        <h2 id="resp-heading">Responsiveness (last 7 days)</h2>
        <dl class="figures">
          <dt>Requests</dt>
          <dd>{r.requests}</dd>
          <dt>Answered</dt>
          <dd>{r.answered}</dd>
          <dt>Response rate</dt>
          <dd>{formatRate(r.responseRate)}</dd>
          <dt>Median response time</dt>
          <dd>{formatDuration(r.medianResponseSeconds)}</dd>
          <dt>Very responsive badge</dt>
          <dd>{r.veryResponsive ? 'Yes' : 'No (needs at least 90 % answered, median under 5 minutes)'}</dd>
        </dl>
      </section>
      {admin && <PageForm page={page} onSaved={reload} />}
      {page.viewerRole !== 'ANALYST' && <SavedReplies page={page} onChange={reload} />}
      {admin && <Staff page={page} viewerId={data?.viewer?.id} onChange={reload} />}
      {page.viewerRole !== 'ANALYST' && <BlockedUsers page={page} onChange={reload} />}
    </div>
  );
}

interface Day {
  open: boolean;
  from: string;
  to: string;
}

function daysOf(page: Page): Day[] {
  return weekdays.map((_, i) => {
    const w = page.availability.find((a) => a.weekday === i);
    return w ? { open: true, from: minuteToClock(w.startMinute), to: minuteToClock(w.endMinute) } : { open: false, from: '09:00', to: '17:00' };
  });
}

function PageForm({ page, onSaved }: { page: Page; onSaved: () => void }) {
  const [state, update] = useMutation(UpdatePage);
  const [name, setName] = useState(page.name);
  const [about, setAbout] = useState(page.about ?? '');
  const [enabled, setEnabled] = useState(page.messagingEnabled);
  const [away, setAway] = useState(page.awayMessage ?? '');
  const [tz, setTz] = useState(page.timeZone);
  const [limitHours, setLimitHours] = useState(page.availability.length > 0);
  const [days, setDays] = useState<Day[]>(() => daysOf(page));
  const [saved, setSaved] = useState(false);
  useEffect(() => setSaved(false), [name, about, enabled, away, tz, limitHours, days]);
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const setDay = (i: number, patch: Partial<Day>) => setDays(days.map((d, j) => (i === j ? { ...d, ...patch } : d)));

  return (
    <form
      class="card"
      aria-labelledby="page-settings-heading"
      onSubmit={async (e) => {
        e.preventDefault();
        const availability = limitHours
          ? days.flatMap((d, weekday) => (d.open ? [{ weekday, startMinute: clockToMinute(d.from), endMinute: clockToMinute(d.to) || 1440 }] : []))
          : [];
        const r = await update({
          input: { pageId: page.id, name, about, messagingEnabled: enabled, awayMessage: away, timeZone: tz, availability },
        });
        if (!r.error) {
          setSaved(true);
          onSaved();
        }
      }}
    >
      <h2 id="page-settings-heading">Page settings</h2>
      <Field label="Name" value={name} onInput={setName} />
      <Field label="About" value={about} onInput={setAbout} required={false} multiline />
      <label class="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} />
        Take messages
      </label>
      <Field
        label="Away message"
        value={away}
        onInput={setAway}
        required={false}
        multiline
        hint="Sent automatically when a visitor writes while messaging is off or outside the hours. Without one, visitors cannot write then."
      />
      <Field label="Time zone" value={tz} onInput={setTz} list="time-zones" hint="The hours below are in this time zone." />
      <datalist id="time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <label class="check">
        <input type="checkbox" checked={limitHours} onChange={(e) => setLimitHours((e.target as HTMLInputElement).checked)} />
        Only at set hours
      </label>
      {limitHours && (
        <fieldset class="hours">
          <legend>Opening hours ({tz})</legend>
          {days.map((d, i) => (
            <div class="day" key={i}>
              <label class="check">
                <input type="checkbox" checked={d.open} onChange={(e) => setDay(i, { open: (e.target as HTMLInputElement).checked })} />
                Open on {weekdays[i]}
              </label>
              <label>
                <span class="sr-only">{weekdays[i]} </span>from
                <input type="time" value={d.from} disabled={!d.open} onInput={(e) => setDay(i, { from: (e.target as HTMLInputElement).value })} />
              </label>
              <label>
                <span class="sr-only">{weekdays[i]} </span>until
                <input type="time" value={d.to} disabled={!d.open} onInput={(e) => setDay(i, { to: (e.target as HTMLInputElement).value })} />
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {state.error && <p role="alert">{errorText(state.error)}</p>}
      {saved && <p role="status">Saved. {page.acceptingMessages ? 'Taking messages now.' : 'Not taking messages right now.'}</p>}
      <button type="submit" disabled={state.fetching}>
        Save settings
      </button>
    </form>
  );
}

function SavedReplies({ page, onChange }: { page: Page; onChange: () => void }) {
  const [state, create] = useMutation(CreateSavedReply);
  const [, del] = useMutation(DeleteSavedReply);
  const [f, setF] = useState({ shortcut: '', title: '', body: '' });
  return (
    <section class="card" aria-labelledby="saved-heading">
      <h2 id="saved-heading">Saved replies</h2>
      <p class="muted">In a conversation, type / and the shortcut to use one.</p>
      <ul aria-label="Saved replies">
        {page.savedReplies?.map((s) => (
          <li key={s.id}>
            <strong>/{s.shortcut}</strong> {s.title}: <span class="muted">{s.body}</span>{' '}
            <button type="button" class="link" onClick={() => del({ id: s.id }).then(onChange)}>
              Delete /{s.shortcut}
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await create({ input: { pageId: page.id, ...f } });
          if (!r.error) {
            setF({ shortcut: '', title: '', body: '' });
            onChange();
          }
        }}
      >
        <Field label="Shortcut" value={f.shortcut} onInput={(shortcut) => setF({ ...f, shortcut })} />
        <Field label="Title" value={f.title} onInput={(title) => setF({ ...f, title })} />
        <Field label="Reply text" value={f.body} onInput={(body) => setF({ ...f, body })} multiline />
        {state.error && <p role="alert">{errorText(state.error)}</p>}
        <button type="submit">Add saved reply</button>
      </form>
    </section>
  );
}

const roles: PageRole[] = ['ADMIN', 'MODERATOR', 'ANALYST'];

function Staff({ page, viewerId, onChange }: { page: Page; viewerId?: string; onChange: () => void }) {
  const [state, setRole] = useMutation(SetRole);
  const [userId, setUserId] = useState('');
  const [role, setNewRole] = useState<PageRole>('MODERATOR');
  const apply = (uid: string, r: PageRole | null) => setRole({ input: { pageId: page.id, userId: uid, role: r } }).then(onChange);
  return (
    <section class="card" aria-labelledby="staff-heading">
      <h2 id="staff-heading">Staff</h2>
      <p class="muted">Admins do everything; moderators answer messages and comments and manage saved replies; analysts see responsiveness only.</p>
      <ul aria-label="Staff members">
        {page.members?.map((m) => (
          <li key={m.id}>
            {m.user.name} <span class="muted">@{m.user.handle}</span>
            {m.user.id === viewerId && ' (you)'}{' '}
            <select aria-label={`Role of ${m.user.name}`} value={m.role} onChange={(e) => apply(m.user.id, (e.target as HTMLSelectElement).value as PageRole)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r.toLowerCase()}
                </option>
              ))}
            </select>{' '}
            <button type="button" class="link" onClick={() => apply(m.user.id, null)}>
              Remove {m.user.name}
            </button>
          </li>
        ))}
      </ul>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await setRole({ input: { pageId: page.id, userId: userId.trim(), role } });
          if (!r.error) {
            setUserId('');
            onChange();
          }
        }}
      >
        <Field label="User id" value={userId} onInput={setUserId} hint="People find their user id on their start page, under Your account." />
        <label>
          Role
          <select aria-label="Role" value={role} onChange={(e) => setNewRole((e.target as HTMLSelectElement).value as PageRole)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        {state.error && <p role="alert">{errorText(state.error)}</p>}
        <button type="submit">Add to staff</button>
      </form>
    </section>
  );
}

function BlockedUsers({ page, onChange }: { page: Page; onChange: () => void }) {
  const [, unblock] = useMutation(UnblockUser);
  return (
    <section class="card" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">Blocked users</h2>
      {(page.blockedUsers?.length ?? 0) === 0 ? (
        <p class="muted">Nobody. Block someone from their conversation in the inbox.</p>
      ) : (
        <ul>
          {page.blockedUsers!.map((u) => (
            <li key={u.id}>
              {u.name} <span class="muted">@{u.handle}</span>{' '}
              <button type="button" onClick={() => unblock({ pageId: page.id, userId: u.id }).then(onChange)}>
                Unblock {u.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
