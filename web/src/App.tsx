// The app shell: header (who is signed in, connection state), and the
// routes under /app/.
import { Link, Route, Router, Switch } from 'wouter-preact';
import { useMutation, useQuery } from '@urql/preact';
import { ApiProvider, useApi } from './api';
import { useConnection } from './connection';
import { graphql } from './gql';
import { setToken, useToken } from './session';
import { Home } from './views/Home';
import { PageView } from './views/PageView';
import { Inbox } from './views/Inbox';
import { Settings } from './views/Settings';
import { OpenThread } from './views/OpenThread';
import { Notifications, turnOffOnLogOut } from './components/Notifications';
import { ViewerQuery } from './viewer';

const LogOut = graphql(`
  mutation LogOut {
    logOut
  }
`);

export function App() {
  return (
    <ApiProvider>
      <Router base="/app">
        <Shell />
      </Router>
    </ApiProvider>
  );
}

function Shell() {
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <Header />
      <main id="main">
        <Switch>
          <Route path="/" component={Home} />
          <Route path="/pages/:handle">{(p) => <PageView handle={p.handle} />}</Route>
          <Route path="/pages/:handle/inbox">{(p) => <Inbox handle={p.handle} />}</Route>
          <Route path="/pages/:handle/settings">{(p) => <Settings handle={p.handle} />}</Route>
          <Route path="/threads/:id">{(p) => <OpenThread id={decodeURIComponent(p.id)} />}</Route>
          <Route>
            <h1>Not found</h1>
            <p>
              <Link href="/">Go to the start page</Link>
            </p>
          </Route>
        </Switch>
      </main>
    </>
  );
}

function Header() {
  const token = useToken();
  const [{ data }] = useQuery({ query: ViewerQuery, pause: !token });
  const [, logOut] = useMutation(LogOut);
  const api = useApi();
  const viewer = token ? data?.viewer : null;
  return (
    <header class="top">
      <Link href="/" class="brand">
        pageinbox
      </Link>
      <ConnectionIndicator />
      {viewer && (
        <div class="who">
          <span>
            Signed in as <strong>{viewer.name}</strong>
          </span>
          <Notifications />
          <button
            type="button"
            class="link"
            onClick={async () => {
              await turnOffOnLogOut(api.urql).catch(() => undefined);
              await logOut({});
              setToken(null);
            }}
          >
            Log out
          </button>
        </div>
      )}
    </header>
  );
}

/** Says when the live connection is down; silent while it works. */
function ConnectionIndicator() {
  const api = useApi();
  const c = useConnection(api.status);
  const offline = c.browserOffline || (!c.connected && c.epoch > 0);
  return (
    <span role="status" class={offline ? 'offline' : 'online'}>
      {offline ? 'Offline: reconnecting…' : ''}
    </span>
  );
}
