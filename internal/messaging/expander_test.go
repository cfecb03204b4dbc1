package messaging

import (
	"context"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// A round of the notification outbox waits for this replica's live
// fan-out, but never longer than expandYieldMax.
func TestExpanderYieldsToLiveDeliveryThenGoesOn(t *testing.T) {
	for name, c := range map[string]struct {
		busyFor time.Duration // how long streams keep delivering
		want    time.Duration // how long the yield takes
	}{
		"nothing delivering: only the linger":  {0, expandLinger},
		"a fan-out of 120ms: until it is done": {120 * time.Millisecond, 120 * time.Millisecond},
		"never idle: at most expandYieldMax":   {time.Hour, expandYieldMax + expandYieldTick},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				begin := time.Now()
				var checks atomic.Int64
				e := &Expander{delivering: func() int64 {
					checks.Add(1)
					if time.Since(begin) < c.busyFor {
						return 10_000
					}
					return 0
				}}
				e.yield(context.Background())
				if took := time.Since(begin); took != c.want {
					t.Errorf("yield took %s, want %s", took, c.want)
				}
				if checks.Load() == 0 {
					t.Error("yield never looked at the live streams")
				}
			})
		})
	}
}

func TestExpanderWithoutLiveStreamsDoesNotWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		begin := time.Now()
		(&Expander{}).yield(context.Background())
		if took := time.Since(begin); took != 0 {
			t.Errorf("yield took %s with no live streams to wait for, want 0", took)
		}
	})
}
