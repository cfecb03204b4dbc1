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

// Publish only queues; events from many concurrent publishers reach
// another replica all, each publisher's in order, and Close sends what is
// still queued before it returns.
func TestPostgresBrokerDeliversQueuedEventsInOrderAcrossReplicas(t *testing.T) {
	dsn := apptest.DatabaseURL(t, apptest.Postgres)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	const publishers, each = 8, 250
	receiver, err := pubsub.NewPostgres(dsn, db, publishers*each, log)
	if err != nil {
		t.Fatal(err)
	}
	defer receiver.Close()
	sub := receiver.Subscribe("thread:1")
	defer sub.Close()
	sender, err := pubsub.NewPostgres(dsn, db, 16, log)
	if err != nil {
		t.Fatal(err)
	}

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
