package ratelimit

import (
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func TestWindowAllowsLimitInAnyPeriodAndSaysWhenToRetry(t *testing.T) {
	w := New(3, time.Minute)
	for i := range 3 {
		if _, _, ok := w.Take("u1", t0.Add(time.Duration(i)*10*time.Second)); !ok {
			t.Fatalf("send %d refused under the limit", i+1)
		}
	}
	// 4th at 0:30: the first send (0:00) leaves the window at 1:00.
	_, retry, ok := w.Take("u1", t0.Add(30*time.Second))
	if ok || retry != 30*time.Second {
		t.Fatalf("4th send: ok=%v retry=%v, want refused, 30s", ok, retry)
	}
	// Another sender is not affected.
	if _, _, ok := w.Take("u2", t0.Add(30*time.Second)); !ok {
		t.Fatal("limits are per sender")
	}
	// Just before 1:00 still refused; at 1:00 one slot frees, not more.
	if _, _, ok := w.Take("u1", t0.Add(time.Minute-time.Millisecond)); ok {
		t.Fatal("a slot freed before the oldest send left the window")
	}
	if _, _, ok := w.Take("u1", t0.Add(time.Minute)); !ok {
		t.Fatal("a slot must free when the oldest send leaves the window")
	}
	_, retry, ok = w.Take("u1", t0.Add(time.Minute))
	if ok || retry != 10*time.Second {
		t.Fatalf("only one slot freed at 1:00: ok=%v retry=%v, want refused, 10s (the 0:10 send)", ok, retry)
	}
}

// A token bucket would let an idle sender through twice the limit within
// one period; the sliding log never does.
func TestWindowNeverExceedsLimitWithinAnyPeriod(t *testing.T) {
	w := New(60, time.Minute)
	var accepted []time.Time
	for ms := 0; ms < 5*60*1000; ms += 250 { // a send every 250 ms for 5 minutes
		now := t0.Add(time.Duration(ms) * time.Millisecond)
		if _, _, ok := w.Take("u", now); ok {
			accepted = append(accepted, now)
		}
	}
	for i := range accepted {
		n := 0
		for j := i; j < len(accepted) && accepted[j].Sub(accepted[i]) < time.Minute; j++ {
			n++
		}
		if n > 60 {
			t.Fatalf("%d sends within a minute from %v", n, accepted[i])
		}
	}
	if len(accepted) != 5*60 {
		t.Fatalf("accepted %d sends in 5 minutes, want 300 (60 per minute)", len(accepted))
	}
}

func TestReleasedSlotIsGivenBack(t *testing.T) {
	w := New(2, time.Minute)
	a, _, _ := w.Take("u", t0)
	if _, _, ok := w.Take("u", t0); !ok {
		t.Fatal("second send refused")
	}
	a.Release()
	a.Release() // idempotent: must not free a second slot
	if _, _, ok := w.Take("u", t0); !ok {
		t.Fatal("a released slot must be available again")
	}
	if _, _, ok := w.Take("u", t0); ok {
		t.Fatal("a double Release freed two slots")
	}
}

func TestZeroLimitAllowsEverything(t *testing.T) {
	w := New(0, time.Minute)
	for range 1000 {
		s, _, ok := w.Take("u", t0)
		if !ok {
			t.Fatal("a zero limit is off")
		}
		s.Release() // a no-op, and must not panic
	}
	if w.Senders() != 0 {
		t.Fatal("an off window must not remember senders")
	}
}

func TestIdleSendersAreForgotten(t *testing.T) {
	w := New(5, time.Minute)
	for i := range 100 {
		w.Take(string(rune('a'+i%26))+string(rune('0'+i/26)), t0)
	}
	later := t0.Add(2 * time.Minute)
	for range sweepEvery {
		w.Take("active", later)
	}
	if n := w.Senders(); n != 1 {
		t.Fatalf("%d senders remembered after a sweep, want only the active one", n)
	}
}

func TestConcurrentTakesNeverOvershoot(t *testing.T) {
	w := New(50, time.Minute)
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if _, _, took := w.Take("u", t0); took {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if ok != 50 {
		t.Fatalf("%d of 800 concurrent sends accepted, want exactly 50", ok)
	}
}

func TestRetrySecondsRoundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1001 * time.Millisecond: 2, 59 * time.Second: 59} {
		if got := RetrySeconds(d); got != want {
			t.Errorf("RetrySeconds(%v) = %d, want %d", d, got, want)
		}
	}
}
