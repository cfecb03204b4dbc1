package pubsub_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pageinbox/ent"
	"pageinbox/internal/apptest"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// natsReplica is one replica's database connection and NATS broker.
type natsReplica struct {
	client *ent.Client
	bus    *pubsub.NATS
}

// openReplica starts a replica on the database and the bus.
func openReplica(t *testing.T, dsn, bus string) *natsReplica {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DatabaseURL: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	b, err := pubsub.NewNATS(ctx, pubsub.NATSConfig{URL: bus, Client: st.Client, Buffer: 4096,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return &natsReplica{client: st.Client, bus: b}
}

// commit publishes events the way services do: from a transaction,
// through AfterCommit (the outbox).
func (r *natsReplica) commit(t *testing.T, events ...pubsub.Event) {
	t.Helper()
	tx, err := r.client.Tx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	pubsub.AfterCommit(tx, r.bus, slog.New(slog.NewTextHandler(io.Discard, nil))).Add(events...)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// outboxRows counts the outbox rows left.
func (r *natsReplica) outboxRows(t *testing.T) int {
	t.Helper()
	n, err := r.client.BusEvent.Query().Count(rule.For(context.Background(), rule.EventRelay))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// receive reads n events from s, failing on a lossy flag or a timeout.
func receive(t *testing.T, s *pubsub.Subscription, n int, timeout time.Duration) []*pubsub.Event {
	t.Helper()
	deadline := time.After(timeout)
	var got []*pubsub.Event
	for len(got) < n {
		select {
		case ev := <-s.C:
			got = append(got, ev)
		case <-s.Lost:
			t.Fatalf("subscription flagged lossy after %d of %d events", len(got), n)
		case <-deadline:
			t.Fatalf("received %d of %d events", len(got), n)
		}
	}
	return got
}

// inOrder checks that every publisher's events came once each, in order.
func inOrder(t *testing.T, events []*pubsub.Event, publishers, each int) {
	t.Helper()
	next := make([]int, publishers)
	for _, ev := range events {
		if ev.Seq != next[ev.UserID] {
			t.Fatalf("publisher %d: got seq %d, want %d", ev.UserID, ev.Seq, next[ev.UserID])
		}
		next[ev.UserID]++
	}
	for p, n := range next {
		if n != each {
			t.Fatalf("publisher %d: got %d events, want %d", p, n, each)
		}
	}
}

// Three replicas on one database and one NATS server: events committed on
// one reach the subscribers of the two others, all, once, each
// publisher's in order, and the outbox empties.
func TestNATSBusDeliversAcrossReplicas(t *testing.T) {
	bus := apptest.EventBusURL(t)
	dsn := apptest.DatabaseURL(t, apptest.Postgres)
	a, b, c := openReplica(t, dsn, bus), openReplica(t, dsn, bus), openReplica(t, dsn, bus)
	onB, onC := b.bus.Subscribe("thread:1"), c.bus.Subscribe("thread:1")
	defer onB.Close()
	defer onC.Close()

	const publishers, each = 4, 50
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				a.commit(t, pubsub.Event{Topic: "thread:1", Kind: pubsub.KindMessage, UserID: p, Seq: i})
			}
		})
	}
	wg.Wait()
	inOrder(t, receive(t, onB, publishers*each, 20*time.Second), publishers, each)
	inOrder(t, receive(t, onC, publishers*each, 20*time.Second), publishers, each)
	apptest.Eventually(t, 10*time.Second, func() error {
		if n := a.outboxRows(t); n != 0 {
			return fmt.Errorf("%d outbox rows left", n)
		}
		return nil
	})
}

// streamConsumers counts the consumers NATS holds on the bus's stream.
func streamConsumers(t *testing.T, bus string, r *natsReplica) int {
	t.Helper()
	server, _, err := pubsub.ParseBusURL(bus)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(server)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(context.Background(), r.bus.StreamName())
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Consumers
}

// A replica follows only the topics its own subscribers watch: it holds
// one consumer per watched topic (none for the others), receives no event
// of a topic nobody watches on it, and lets go of a topic when its last
// subscriber leaves.
func TestNATSReplicaFollowsOnlyItsClientsTopics(t *testing.T) {
	bus := apptest.EventBusURL(t)
	dsn := apptest.DatabaseURL(t, apptest.Postgres)
	a, b, c := openReplica(t, dsn, bus), openReplica(t, dsn, bus), openReplica(t, dsn, bus)
	a1, a2 := a.bus.Subscribe("thread:1"), a.bus.Subscribe("thread:1")
	b2 := b.bus.Subscribe("thread:2")
	defer b2.Close()
	if got := a.bus.Topics(); !slices.Equal(got, []string{"thread:1"}) {
		t.Fatalf("A follows %v, want [thread:1]", got)
	}
	if s := a.bus.Stats(); s.Consumers != 1 || s.SignalSubs != 1 {
		t.Fatalf("A holds %d consumers and %d signal subscriptions, want 1 and 1 (one topic)", s.Consumers, s.SignalSubs)
	}
	if n := streamConsumers(t, bus, a); n != 2 {
		t.Fatalf("the stream has %d consumers, want 2 (A's thread:1, B's thread:2; C watches nothing)", n)
	}

	for i := range 30 {
		c.commit(t, pubsub.Event{Topic: "thread:2", Kind: pubsub.KindMessage, Seq: i})
		c.commit(t, pubsub.Event{Topic: "thread:3", Kind: pubsub.KindMessage, Seq: i})
	}
	for i := range 20 {
		c.commit(t, pubsub.Event{Topic: "thread:1", Kind: pubsub.KindMessage, Seq: i})
	}
	// Signals take the plain subjects, also only where they are watched.
	if err := c.bus.Publish(context.Background(), pubsub.Event{Topic: "thread:1", Kind: pubsub.KindTyping, Typing: true}); err != nil {
		t.Fatal(err)
	}
	receive(t, a1, 21, 20*time.Second)
	receive(t, a2, 21, 20*time.Second)
	receive(t, b2, 30, 20*time.Second)
	// The thread:1 events were committed after all the others: had A
	// received any thread:2 or thread:3 event, it would have by now.
	if got := a.bus.Stats().Delivered; got != 21 {
		t.Fatalf("A received %d events from NATS, want 21 (its own topic's only)", got)
	}
	if got := c.bus.Stats().Delivered; got != 0 {
		t.Fatalf("C, with no subscribers, received %d events", got)
	}

	a1.Close()
	if got := a.bus.Topics(); len(got) != 1 {
		t.Fatalf("A follows %v with one subscriber left, want [thread:1]", got)
	}
	a2.Close()
	if got := a.bus.Topics(); len(got) != 0 {
		t.Fatalf("A follows %v after its last subscriber left", got)
	}
	if s := a.bus.Stats(); s.Consumers != 0 || s.SignalSubs != 0 {
		t.Fatalf("A still holds %d consumers and %d signal subscriptions", s.Consumers, s.SignalSubs)
	}
	apptest.Eventually(t, 10*time.Second, func() error {
		if n := streamConsumers(t, bus, a); n != 1 {
			return fmt.Errorf("the stream has %d consumers, want 1 (B's)", n)
		}
		return nil
	})
}

// natsProcess is a nats-server of the test's own, to kill and restart.
type natsProcess struct {
	port  int
	store string
	cmd   *exec.Cmd
}

const natsServerBin = "/usr/sbin/nats-server"

func (p *natsProcess) start(t *testing.T) {
	t.Helper()
	p.cmd = exec.Command(natsServerBin, "-a", "127.0.0.1", "-p", fmt.Sprint(p.port), "-js", "-sd", p.store)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, 10*time.Second, func() error {
		nc, err := nats.Connect(p.url())
		if err != nil {
			return err
		}
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err != nil {
			return err
		}
		_, err = js.AccountInfo(context.Background())
		return err
	})
}

func (p *natsProcess) kill(t *testing.T) {
	t.Helper()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd = nil
}

func (p *natsProcess) url() string { return fmt.Sprintf("nats://127.0.0.1:%d", p.port) }

// freePort finds a port nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// NATS is killed (SIGKILL) while replicas commit events and started again
// on the same store: events committed while it was away wait in the
// outbox, the relay publishes them when it is back, the subscriber's
// consumer resumes after the last sequence it processed, and the
// subscriber on another replica gets every event once, in order, without
// being told to resynchronise.
func TestNATSRestartLosesNothing(t *testing.T) {
	apptest.NATSServer(t) // skips with the others when NATS is not installed and running
	if _, err := os.Stat(natsServerBin); err != nil {
		t.Fatalf("nats-server: %v", err)
	}
	srv := &natsProcess{port: freePort(t), store: t.TempDir()}
	srv.start(t)
	defer srv.kill(t)
	bus := srv.url() + "/restart"
	dsn := apptest.DatabaseURL(t, apptest.Postgres)
	a, b := openReplica(t, dsn, bus), openReplica(t, dsn, bus)
	sub := b.bus.Subscribe("thread:7")
	defer sub.Close()

	const publishers, each = 2, 150
	var wg sync.WaitGroup
	progress := make(chan int, publishers*each)
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				a.commit(t, pubsub.Event{Topic: "thread:7", Kind: pubsub.KindMessage, UserID: p, Seq: i})
				progress <- i
			}
		})
	}
	// Kill NATS a third of the way through, start it again at two
	// thirds: the middle third is committed while it is away.
	for range publishers * each / 3 {
		<-progress
	}
	srv.kill(t)
	for range publishers * each / 3 {
		<-progress
	}
	srv.start(t)
	wg.Wait()
	inOrder(t, receive(t, sub, publishers*each, 60*time.Second), publishers, each)
	apptest.Eventually(t, 20*time.Second, func() error {
		if n := a.outboxRows(t); n != 0 {
			return fmt.Errorf("%d outbox rows left", n)
		}
		return nil
	})
	if s := b.bus.Stats(); s.Reconnects == 0 {
		t.Fatalf("B never reconnected: %+v", s)
	}
}
