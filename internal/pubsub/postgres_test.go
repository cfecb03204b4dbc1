package pubsub_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"pageinbox/internal/apptest"
	"pageinbox/internal/pubsub"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// database opens a fresh database.
func database(t *testing.T) (dsn string, db *sql.DB) {
	dsn = apptest.DatabaseURL(t, apptest.Postgres)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return dsn, db
}

// broker starts a replica's broker on the database.
func broker(t *testing.T, dsn string, db *sql.DB, buffer int) *pubsub.Postgres {
	b, err := pubsub.NewPostgres(dsn, db, buffer, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Publish only queues; events from many concurrent publishers reach
// another replica all, each publisher's in order, and Close sends what is
// still queued before it returns.
func TestPostgresBrokerDeliversQueuedEventsInOrderAcrossReplicas(t *testing.T) {
	const publishers, each = 8, 250
	dsn, db := database(t)
	receiver := broker(t, dsn, db, publishers*each)
	defer receiver.Close()
	sub := receiver.Subscribe("thread:1")
	defer sub.Close()
	sender := broker(t, dsn, db, 16)

	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				ev := pubsub.Event{Topic: "thread:1", Kind: pubsub.KindMessage, UserID: p, Seq: i}
				if err := sender.Publish(context.Background(), ev); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := sender.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sender.Publish(context.Background(), pubsub.Event{Topic: "thread:1"}); !errors.Is(err, pubsub.ErrClosed) {
		t.Fatalf("publish after close: %v, want ErrClosed", err)
	}

	next := make([]int, publishers)
	deadline := time.After(10 * time.Second)
	for got := 0; got < publishers*each; got++ {
		select {
		case ev := <-sub.C:
			if ev.Seq != next[ev.UserID] {
				t.Fatalf("publisher %d: got seq %d, want %d", ev.UserID, ev.Seq, next[ev.UserID])
			}
			next[ev.UserID]++
		case <-sub.Lost:
			t.Fatal("subscription flagged lossy")
		case <-deadline:
			t.Fatalf("received %d of %d events", got, publishers*each)
		}
	}
}

// Close may be called more than once, from several goroutines at once
// (the server's shutdown and a failing start-up both close the broker): it
// closes once, the others wait for it, and none panics.
func TestPostgresBrokerClosesOnceWhenClosedConcurrently(t *testing.T) {
	dsn, db := database(t)
	db.SetMaxOpenConns(1)
	b := broker(t, dsn, db, 16)
	// The first Close waits for the queued event's NOTIFY, which waits for
	// the one connection, which the test holds: the other Close calls
	// arrive while the first is still closing.
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Publish(ctx, pubsub.Event{Topic: "thread:1"}); err != nil {
		t.Fatal(err)
	}
	const closers = 8
	var started, wg sync.WaitGroup
	errs := make(chan error, closers)
	for range closers {
		started.Add(1)
		wg.Go(func() {
			started.Done()
			errs <- b.Close()
		})
	}
	started.Wait()
	_ = conn.Close() // the NOTIFY goes out; the first Close finishes
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if err := b.Publish(ctx, pubsub.Event{Topic: "thread:1"}); !errors.Is(err, pubsub.ErrClosed) {
		t.Fatalf("publish after close: %v, want ErrClosed", err)
	}
}
