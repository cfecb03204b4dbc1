package pubsub

import (
	"context"
	"testing"
)

func TestHubDeliversByTopicAndNeverBlocks(t *testing.T) {
	h := NewHub(2)
	a := h.Subscribe("thread:1")
	b := h.Subscribe("thread:1", "user:9")
	other := h.Subscribe("thread:2")
	defer a.Close()
	defer b.Close()
	defer other.Close()

	for i := 1; i <= 5; i++ { // more than the buffer of 2
		h.Deliver(Event{Topic: "thread:1", Seq: i})
	}
	// Each subscription kept the first two and was flagged as lossy.
	for name, s := range map[string]*Subscription{"a": a, "b": b} {
		if got := (<-s.C).Seq; got != 1 {
			t.Fatalf("%s: first event %d", name, got)
		}
		if got := (<-s.C).Seq; got != 2 {
			t.Fatalf("%s: second event %d", name, got)
		}
		select {
		case <-s.Lost:
		default:
			t.Fatalf("%s: an overflow must flag the subscription", name)
		}
		if s.Dropped() != 3 {
			t.Fatalf("%s: dropped %d, want 3", name, s.Dropped())
		}
	}
	select {
	case ev := <-other.C:
		t.Fatalf("other topic got %+v", ev)
	default:
	}
	h.Deliver(Event{Topic: "user:9", Kind: KindNotification})
	if ev := <-b.C; ev.Kind != KindNotification {
		t.Fatalf("b subscribes to two topics: %+v", ev)
	}
}

func TestHubCloseAndLoseAll(t *testing.T) {
	h := NewHub(4)
	a := h.Subscribe("x", "y")
	b := h.Subscribe("y")
	a.Started()
	if h.Len() != 1 {
		t.Fatalf("len %d: a subscription counts once its stream started", h.Len())
	}
	b.Started()
	if h.Len() != 2 {
		t.Fatalf("len %d", h.Len())
	}
	a.Close()
	a.Close() // idempotent
	if h.Len() != 1 {
		t.Fatalf("len after close %d", h.Len())
	}
	h.Deliver(Event{Topic: "x"})
	select {
	case <-a.C:
		t.Fatal("a closed subscription receives nothing")
	default:
	}
	h.LoseAll()
	select {
	case <-b.Lost:
	default:
		t.Fatal("LoseAll flags every subscription")
	}
	b.Close()
	if h.Len() != 0 {
		t.Fatalf("len %d", h.Len())
	}
}

func TestMemoryBrokerPublishes(t *testing.T) {
	m := NewMemory(8)
	s := m.Subscribe(ThreadTopic(5))
	defer s.Close()
	s.Started()
	if err := m.Publish(context.Background(), Event{Topic: ThreadTopic(5), Seq: 1}, Event{Topic: ThreadTopic(6)}); err != nil {
		t.Fatal(err)
	}
	if ev := <-s.C; ev.Seq != 1 {
		t.Fatalf("%+v", ev)
	}
	if m.Subscribers() != 1 {
		t.Fatalf("subscribers %d", m.Subscribers())
	}
}
