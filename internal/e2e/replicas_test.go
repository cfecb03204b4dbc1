package e2e

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"pageinbox/internal/apptest"
	"pageinbox/internal/pubsub"
)

// TestEventsReachEveryReplica is rule 21 across replicas: two servers on
// one PostgreSQL database; whatever happens on one is live on the other.
func TestEventsReachEveryReplica(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	c := a.StartConversation("replicas")

	visitor := b.Connect(apptest.TransportWS, c.Visitor.Token)
	visitor.Subscribe("m", messageAdded, apptest.Vars{"t": c.ThreadID})
	visitor.Subscribe("n", notificationAdded, nil)
	owner := b.Connect(apptest.LegacyWS, c.Owner.Token)
	owner.Subscribe("i", inboxEvents, apptest.Vars{"p": c.Page.ID})
	b.WaitSubscribers(3)

	a.SendIn(c.Owner, c.ThreadID, "from replica A").OK()
	if r := visitor.Data("m", wait); r.String("messageAdded.body") != "from replica A" {
		t.Fatalf("messageAdded on B: %s", r.Raw)
	}
	if r := visitor.Data("n", wait); r.String("notificationAdded.kind") != "PAGE_REPLY" {
		t.Fatalf("notificationAdded on B: %s", r.Raw)
	}
	r := owner.Data("i", wait)
	if r.String("inboxEvent.kind") == "THREAD_CREATED" {
		// The conversation's start, committed on A before B's subscriber
		// subscribed, may reach B just after it (the bus is asynchronous):
		// an extra event about the thread, not a wrong one.
		r = owner.Data("i", wait)
	}
	if r.String("inboxEvent.kind") != "MESSAGE_ADDED" {
		t.Fatalf("inboxEvent on B: %s", r.Raw)
	}
}

// terminateListeners kills every LISTEN connection of the test database,
// as a network failure or a database failover would.
func terminateListeners(t *testing.T, databaseURL string) int {
	t.Helper()
	db, err := sql.Open("postgres", databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE 'listen%'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestListenerReconnectLosesNoMessage kills the listeners' connections
// while messages are sent. Every subscriber still gets every message
// exactly once, in order; notification and inbox subscribers resynchronise.
func TestListenerReconnectLosesNoMessage(t *testing.T) {
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir())
	c := a.StartConversation("reconnect")

	const subscribers, total = 4, 60
	var streams []*apptest.WS
	for i := range subscribers {
		srv, who := b, c.Visitor
		if i%2 == 1 {
			srv, who = a, c.Owner
		}
		ws := srv.Connect(apptest.TransportWS, who.Token)
		ws.Subscribe("m", messageAdded, apptest.Vars{"t": c.ThreadID, "after": 1})
		streams = append(streams, ws)
	}
	notes := b.Connect(apptest.TransportWS, c.Owner.Token)
	notes.Subscribe("n", notificationAdded, nil)
	inbox := b.Connect(apptest.TransportWS, c.Owner.Token)
	inbox.Subscribe("i", inboxEvents, apptest.Vars{"p": c.Page.ID})
	b.WaitSubscribers(subscribers/2 + 2)
	a.WaitSubscribers(subscribers / 2)

	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range total {
			if i == total/3 {
				if n := terminateListeners(t, db); n < 2 {
					t.Errorf("terminated %d listener connections, want both replicas'", n)
				}
			}
			a.SendToPage(c.Visitor, c.Page, fmt.Sprintf("m%d", i)).OK()
		}
	})
	for i, ws := range streams {
		for want := 2; want <= total+1; want++ {
			if got := ws.Data("m", wait).Int("messageAdded.seq"); got != want {
				t.Fatalf("subscriber %d: want seq %d, got %d", i, want, got)
			}
		}
		if m, ok := ws.TryNext(100 * time.Millisecond); ok {
			t.Fatalf("subscriber %d: a duplicate after the last message: %+v", i, m)
		}
	}
	wg.Wait()
	// The owner's notifications: one per visitor message, none twice.
	seen := map[string]bool{}
	for len(seen) < total {
		id := notes.Data("n", wait).String("notificationAdded.id")
		if seen[id] {
			t.Fatalf("notification %s delivered twice", id)
		}
		seen[id] = true
	}
	// The inbox subscriber ends up knowing the latest state of the thread.
	last := fmt.Sprintf("m%d", total-1)
	for {
		r := inbox.Data("i", wait)
		if r.String("inboxEvent.thread.snippet") == last {
			break
		}
	}
	for _, srv := range []*apptest.Server{a, b} {
		if pg, ok := srv.Broker.(*pubsub.Postgres); !ok || pg.Reconnects() == 0 {
			t.Fatalf("the listener did not reconnect (broker %T)", srv.Broker)
		}
	}
}
