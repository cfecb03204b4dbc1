package live

import (
	"context"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/internal/pubsub"
	"pageinbox/internal/push"
)

// blockingSink is a transport whose Deliver waits until released, as a
// write to a slow socket does.
type blockingSink struct {
	release chan struct{}
	closed  chan struct{}
}

func (s *blockingSink) Attach() {}
func (s *blockingSink) Deliver(v any, send func()) bool {
	send()
	<-s.release
	return true
}
func (s *blockingSink) Error(*gqlerror.Error) {}
func (s *blockingSink) Close()                { close(s.closed) }

// echo emits each event's thread id.
type echo struct{ emit func(int) bool }

func (m *echo) start(context.Context) bool { return true }
func (m *echo) lost(context.Context) bool  { return true }
func (m *echo) event(_ context.Context, ev *pubsub.Event) bool {
	return m.emit(ev.ThreadID)
}
func (m *echo) stop() {}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal(what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Delivering counts the streams writing an event (the notification outbox
// waits for it to fall to zero), and a cancelled stream ends.
func TestDeliveringCountsStreamsAtWorkAndACancelledStreamEnds(t *testing.T) {
	hub := pubsub.NewHub(8)
	s := &Streams{pumps: newPumps()}
	sink := &blockingSink{release: make(chan struct{}), closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(push.NewContext(t.Context(), sink))
	defer cancel()
	m := &echo{}
	out := drive(ctx, s, hub.Subscribe("t"), m, func(d *driver[int]) { m.emit = d.emit })
	// The stream's start runs on a pump of its own, then nothing is at work.
	eventually(t, "Delivering() never settled at 0 before any event", func() bool { return s.Delivering() == 0 })
	hub.Deliver(pubsub.Event{Topic: "t", ThreadID: 7})
	eventually(t, "Delivering() never rose to 1 while the event was being written", func() bool { return s.Delivering() == 1 })
	if got := <-out; got != 7 {
		t.Fatalf("delivered %d, want 7", got)
	}
	sink.release <- struct{}{}
	eventually(t, "Delivering() never fell back to 0 once the write was done", func() bool { return s.Delivering() == 0 })

	cancel()
	select {
	case <-sink.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled stream never closed its sink")
	}
	eventually(t, "Delivering() stayed above 0 after the stream ended", func() bool { return s.Delivering() == 0 })
}
