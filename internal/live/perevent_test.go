package live

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"pageinbox/internal/pubsub"
)

func TestPerEventLoadsOncePerEventForEveryStream(t *testing.T) {
	p := newPerEvent[int]()
	a, b := &pubsub.Event{ThreadID: 1}, &pubsub.Event{ThreadID: 1} // equal, but two events
	var calls atomic.Int64
	load := func() (int, error) { return int(calls.Add(1)), nil }
	var wg sync.WaitGroup
	got := make([]int, 100)
	for i := range got {
		wg.Go(func() {
			ev := a
			if i%2 == 1 {
				ev = b
			}
			got[i], _ = p.load(ev, load)
		})
	}
	wg.Wait()
	if calls.Load() != 2 {
		t.Fatalf("loaded %d times for two events", calls.Load())
	}
	for i := 2; i < len(got); i++ {
		if got[i] != got[i%2] {
			t.Fatalf("stream %d got %d, stream %d got %d: one event, one result", i, got[i], i%2, got[i%2])
		}
	}
	// A failure is not remembered: the next stream tries again.
	c := &pubsub.Event{}
	if _, err := p.load(c, func() (int, error) { return 0, errors.New("db down") }); err == nil {
		t.Fatal("want the error")
	}
	if v, err := p.load(c, func() (int, error) { return 7, nil }); err != nil || v != 7 {
		t.Fatalf("after a failure: %d, %v", v, err)
	}
}
