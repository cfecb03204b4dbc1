package e2e

import (
	"errors"
	"testing"
	"time"

	"pageinbox/internal/apptest"
)

// The session cache (account.SessionCache) lets a replica answer a
// signed-in request without looking the session up again. These tests
// hold its promises across two replicas sharing one database: a warm
// request costs no session lookup; a log-out and a removed role stop
// working on the other replica within the bus's latency; a role granted
// on one replica applies on the other at once.

const inboxOfPage = `query($p: ID!) { node(id: $p) { ... on Page { threads(first: 10) { edges { node { id } } } } } }`

// TestCachedSessionCostsNoLookup: the second request of a session runs
// one statement fewer than the first (the session and roles lookup).
func TestCachedSessionCostsNoLookup(t *testing.T) {
	apptest.Each(t, func(t *testing.T, b apptest.Backend) {
		s := apptest.Start(t, b)
		c := s.StartConversation("cached")
		login := `mutation($i: LogInInput!) { logIn(input: $i) { token } }`
		token := s.Do("", login, apptest.Vars{"i": apptest.Vars{"email": c.Owner.Email, "password": "correct horse"}}).OK().String("logIn.token")
		cold := s.CountStatements(func() { s.Do(token, inboxOfPage, apptest.Vars{"p": c.Page.ID}).OK() })
		warm := s.CountStatements(func() { s.Do(token, inboxOfPage, apptest.Vars{"p": c.Page.ID}).OK() })
		if warm != cold-1 {
			t.Fatalf("the inbox ran %d statements with a fresh session and %d with a cached one; want one fewer", cold, warm)
		}
		s.Do(token, `mutation { logOut }`, nil).OK()
		s.Do(token, `{ viewer { id } }`, nil).WantCode("UNAUTHENTICATED") // on this replica at once
	})
}

// TestLogOutReachesEveryReplicasCache: a session cached on replica B
// stops working there soon after it logs out on replica A.
func TestLogOutReachesEveryReplicasCache(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	c := a.StartConversation("logout")
	b.Do(c.Visitor.Token, `{ viewer { id } }`, nil).OK() // cached on B
	a.Do(c.Visitor.Token, `mutation { logOut }`, nil).OK()
	a.Do(c.Visitor.Token, `{ viewer { id } }`, nil).WantCode("UNAUTHENTICATED")
	apptest.Eventually(t, 2*time.Second, func() error {
		if b.Do(c.Visitor.Token, `{ viewer { id } }`, nil).Code() != "UNAUTHENTICATED" {
			return errors.New("replica B still accepts the logged-out session")
		}
		return nil
	})
}

// TestRoleChangesReachEveryReplicasCache: a moderator added on replica A
// reads the inbox on replica B at once, although B cached the session
// without the role; removed on A, the moderator soon cannot on B.
func TestRoleChangesReachEveryReplicasCache(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	c := a.StartConversation("roles")
	mod := a.SignUp("mod")
	if r := b.Do(mod.Token, inboxOfPage, apptest.Vars{"p": c.Page.ID}).OK(); !r.Null("node.threads") {
		t.Fatalf("a non-member sees the inbox: %s", r.Raw)
	}
	a.SetRole(c.Owner, c.Page, mod, "MODERATOR").OK()
	if r := b.Do(mod.Token, inboxOfPage, apptest.Vars{"p": c.Page.ID}).OK(); r.Len("node.threads.edges") != 1 {
		t.Fatalf("the new moderator does not see the inbox on the other replica at once: %s", r.Raw)
	}
	a.SetRole(c.Owner, c.Page, mod, "").OK()
	apptest.Eventually(t, 2*time.Second, func() error {
		if !b.Do(mod.Token, inboxOfPage, apptest.Vars{"p": c.Page.ID}).OK().Null("node.threads") {
			return errors.New("replica B still shows the inbox to a removed moderator")
		}
		return nil
	})
}
