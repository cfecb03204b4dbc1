package ratelimit

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestWindowNeverAdmitsMoreThanMaxInAnyPeriod replays random event
// streams through the bucketed window and checks every period against the
// exact log of what it admitted.
func TestWindowNeverAdmitsMoreThanMaxInAnyPeriod(t *testing.T) {
	lim := Limit{Name: "t", Max: 10, Period: time.Minute}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for run := range 200 {
		var (
			w        window
			admitted []time.Time
			now      = start
		)
		for range 300 {
			now = now.Add(time.Duration(rng.Int64N(int64(8 * time.Second))))
			w = w.live(lim, now)
			if w.count() >= lim.Max {
				if d := w.wait(lim, now); d <= 0 || d > lim.Period {
					t.Fatalf("run %d: refused with wait %v", run, d)
				}
				continue
			}
			w = w.add(lim, now)
			admitted = append(admitted, now)
		}
		for i, a := range admitted {
			n := 0
			for _, b := range admitted[i:] {
				if b.Sub(a) < lim.Period {
					n++
				}
			}
			if n > lim.Max {
				t.Fatalf("run %d: %d events in the period starting %v", run, n, a)
			}
		}
	}
}

func TestWindowBurstIsExact(t *testing.T) {
	lim := Limit{Name: "t", Max: 60, Period: time.Minute}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var w window
	for range 60 {
		w = w.add(lim, now)
	}
	if got := w.wait(lim, now); got != time.Minute {
		t.Fatalf("wait %v, want 1m", got)
	}
	if got := w.live(lim, now.Add(30*time.Second)).wait(lim, now.Add(30*time.Second)); got != 30*time.Second {
		t.Fatalf("wait after 30s %v", got)
	}
	if w.live(lim, now.Add(time.Minute)).count() != 0 {
		t.Fatal("a minute later the burst has left")
	}
	if w.remove(lim, now).count() != 59 {
		t.Fatal("remove takes one back")
	}
	// A huge limit costs no more state than a small one.
	big := Limit{Name: "t", Max: 1_000_000, Period: time.Minute}
	var b window
	for i := range 100_000 {
		at := now.Add(time.Duration(i) * time.Millisecond)
		b = b.live(big, at).add(big, at)
	}
	if len(b) > buckets+1 {
		t.Fatalf("%d buckets", len(b))
	}
}

func TestRetrySecondsRoundsUp(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, time.Minute: 60} {
		if got := RetrySeconds(d); got != want {
			t.Errorf("RetrySeconds(%v) = %d, want %d", d, got, want)
		}
	}
}
