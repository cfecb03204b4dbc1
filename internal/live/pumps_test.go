package live

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pageinbox/internal/pubsub"
	"pageinbox/internal/push"
)

type job func()

func (j job) pump() { j() }

// Every queued piece of work runs, on at most limit workers while none is
// held up, and the workers leave once the queue is empty.
func TestPumpsRunEveryJobOnFewWorkers(t *testing.T) {
	p := newPumps()
	// The watch adds workers when the queue stalls for 10 ms, which a
	// busy test machine can do to any process: not in this test.
	p.stall = time.Hour
	const n = 10_000
	var ran, running, most atomic.Int64
	var wg sync.WaitGroup
	wg.Add(n)
	release := make(chan struct{})
	for i := range n {
		p.run(job(func() {
			defer wg.Done()
			now := running.Add(1)
			for {
				m := most.Load()
				if now <= m || most.CompareAndSwap(m, now) {
					break
				}
			}
			if i < 2*p.limit {
				<-release // the first jobs hold their workers for a while
			}
			ran.Add(1)
			running.Add(-1)
		}))
	}
	eventually(t, "the first jobs never took every worker", func() bool { return running.Load() == int64(p.limit) })
	time.Sleep(20 * time.Millisecond) // time for a goroutine per job to show
	if got := running.Load(); got != int64(p.limit) {
		t.Fatalf("%d jobs run at once, want the limit %d", got, p.limit)
	}
	close(release)
	wg.Wait()
	if ran.Load() != n {
		t.Fatalf("ran %d of %d", ran.Load(), n)
	}
	if m := most.Load(); m > int64(p.limit) {
		t.Errorf("%d jobs ran at once with nothing held up; the limit is %d", m, p.limit)
	}
	eventually(t, "workers stayed after the queue emptied", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.workers == 0
	})
}

// A stream whose socket is stuck (its write waits until the write
// timeout) holds a worker, and so does every stream of an event whose
// load the database stalls. With every worker held so and many more such
// streams queued, the next stream's event still goes out within a
// fraction of a second (rule 25).
func TestStuckStreamsNeverHoldUpTheOthers(t *testing.T) {
	hub := pubsub.NewHub(8)
	s := &Streams{pumps: newPumps()}
	release := make(chan struct{})
	defer close(release)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stuck := 50 * s.pumps.limit
	for range stuck {
		sink := &blockingSink{release: release, closed: make(chan struct{})}
		m := &echo{}
		out := drive(push.NewContext(ctx, sink), s, hub.Subscribe("stuck"), m, func(d *driver[int]) { m.emit = d.emit })
		go func() {
			for range out { // the transport takes each value as it writes
			}
		}()
	}
	free := &blockingSink{release: make(chan struct{}), closed: make(chan struct{})}
	m := &echo{}
	out := drive(push.NewContext(ctx, free), s, hub.Subscribe("free"), m, func(d *driver[int]) { m.emit = d.emit })
	eventually(t, "streams never started", func() bool { return s.Delivering() == 0 })
	// Every worker gets stuck, and as many stuck streams queue behind them.
	hub.Deliver(pubsub.Event{Topic: "stuck", ThreadID: 1})
	eventually(t, "the stuck streams never all took their event", func() bool { return s.Delivering() == int64(stuck) })
	start := time.Now()
	hub.Deliver(pubsub.Event{Topic: "free", ThreadID: 9})
	select {
	case got := <-out:
		if got != 9 {
			t.Fatalf("delivered %d, want 9", got)
		}
		if waited := time.Since(start); waited > time.Second {
			t.Fatalf("the free stream waited %s behind the stuck ones", waited)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the free stream never got its event while the others were stuck")
	}
	close(free.release)
}

// Workers the watch found held in one item (a socket that stopped reading
// holds its write for the write timeout) no longer count towards the
// limit: later work starts at once, instead of waiting for the watch each
// time for as long as they stay held.
func TestHeldWorkersNoLongerCount(t *testing.T) {
	p := newPumps()
	release := make(chan struct{})
	defer close(release)
	for range p.limit {
		p.run(job(func() { <-release }))
	}
	waitJob := func() time.Duration {
		start := time.Now()
		done := make(chan struct{})
		p.run(job(func() { close(done) }))
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("a job never ran while the other workers were held")
		}
		return time.Since(start)
	}
	waitJob() // the first waits for the watch
	waitJob()
	var total time.Duration
	for range 100 {
		total += waitJob()
	}
	// Each waiting for the watch would take 100 x 10 ms at least.
	if total > 500*time.Millisecond {
		t.Errorf("100 jobs took %s one after the other beside %d held workers", total, p.limit)
	}
}
