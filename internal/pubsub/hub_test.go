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

// wakeCount counts its wakes and, like a pushed stream, drains what each
// wake says is waiting.
type wakeCount struct {
	s            *Subscription
	wakes, lost  int
	events       []int
	duringWakeUp func() // what the reader does inside Wake
}

func (w *wakeCount) Wake() {
	w.wakes++
	if w.duringWakeUp != nil {
		w.duringWakeUp()
	}
}

func (w *wakeCount) drain() {
	if w.s.TakeLost() {
		w.lost++
	}
	for {
		select {
		case ev := <-w.s.C:
			w.events = append(w.events, ev.Seq)
		default:
			return
		}
	}
}

func TestNotifyWakesAndTakeLostTakesEachSignalOnce(t *testing.T) {
	h := NewHub(2)
	s := h.Subscribe("t")
	defer s.Close()
	w := &wakeCount{s: s}
	s.Notify(w)
	h.Deliver(Event{Topic: "t", Seq: 1})
	if w.wakes != 1 {
		t.Fatalf("wakes %d after one event, want 1", w.wakes)
	}
	w.drain()
	if w.lost != 0 || len(w.events) != 1 {
		t.Fatalf("lost %d, events %v: one event and no loss", w.lost, w.events)
	}
	for i := 2; i <= 5; i++ { // overflows the buffer of 2
		h.Deliver(Event{Topic: "t", Seq: i})
	}
	w.drain()
	if w.lost != 1 || len(w.events) != 3 {
		t.Fatalf("lost %d, events %v: the overflow is one lost signal, after two more events", w.lost, w.events)
	}
	w.drain()
	if w.lost != 1 {
		t.Fatal("a taken lost signal must not be taken again")
	}
	// A reader drains when woken: the signal must be there by then.
	w.duringWakeUp = w.drain
	h.LoseAll()
	if w.lost != 2 {
		t.Fatalf("lost %d: the reader LoseAll woke must see its signal", w.lost)
	}
	w.drain()
	if w.lost != 2 {
		t.Fatalf("lost %d: one LoseAll is one signal", w.lost)
	}
}
