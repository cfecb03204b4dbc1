package e2e

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pageinbox/internal/apptest"
	"pageinbox/internal/pubsub"
)

// natsBus returns a replica's NATS broker.
func natsBus(t *testing.T, s *apptest.Server) *pubsub.NATS {
	t.Helper()
	n, ok := s.Broker.(*pubsub.NATS)
	if !ok {
		t.Fatalf("broker is %T, want the NATS event bus", s.Broker)
	}
	return n
}

// clientTopics lists the topics a replica follows for clients (leaving
// out the server's own, which every replica follows).
func clientTopics(n *pubsub.NATS) []string {
	var out []string
	for _, t := range n.Topics() {
		if strings.Contains(t, ":") {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// TestNATSEventBusReachesEveryReplica is rule 21 across three replicas on
// one PostgreSQL database sharing a NATS JetStream event bus: a message
// sent on A is live for the visitor and the page's staff connected to B,
// and C, whose clients watch nothing, follows none of their topics.
func TestNATSEventBusReachesEveryReplica(t *testing.T) {
	bus := apptest.EventBusURL(t)
	db := apptest.DatabaseURL(t, apptest.Postgres)
	a := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), apptest.WithEventBus(bus))
	b := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), apptest.WithEventBus(bus))
	c := apptest.StartOn(t, apptest.Postgres, db, t.TempDir(), apptest.WithEventBus(bus))
	conv := a.StartConversation("natsbus")

	visitor := b.Connect(apptest.TransportWS, conv.Visitor.Token)
	visitor.Subscribe("m", messageAdded, apptest.Vars{"t": conv.ThreadID})
	visitor.Subscribe("n", notificationAdded, nil)
	owner := b.Connect(apptest.LegacyWS, conv.Owner.Token)
	owner.Subscribe("i", inboxEvents, apptest.Vars{"p": conv.Page.ID})
	b.WaitSubscribers(3)

	a.SendIn(conv.Owner, conv.ThreadID, "from replica A").OK()
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

	threadTopic := pubsub.ThreadTopic(apptest.RowID(t, conv.ThreadID))
	if got := clientTopics(natsBus(t, b)); !slices.Contains(got, threadTopic) {
		t.Fatalf("B follows %v, want %s among them (its visitor watches the thread)", got, threadTopic)
	}
	if got := clientTopics(natsBus(t, c)); len(got) != 0 {
		t.Fatalf("C follows %v though none of its clients watches anything", got)
	}
	if got := clientTopics(natsBus(t, a)); slices.Contains(got, threadTopic) {
		t.Fatalf("A follows %v: the thread though none of its clients watches it", got)
	}
	// Once B's clients leave, B lets go of their topics.
	b.Server.CloseWebsockets()
	apptest.Eventually(t, wait, func() error {
		if got := clientTopics(natsBus(t, b)); len(got) != 0 {
			return fmt.Errorf("B still follows %v", got)
		}
		return nil
	})
}
