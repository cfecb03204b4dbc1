package outbox

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// The tests run in a synctest bubble: time only moves when every goroutine
// waits, so "at once" means no time passed at all, and a poll is exactly
// one interval, with no sleeps and no flakes.

// counted is a Drain that counts its calls and reports more for the first
// `more` of them.
type counted struct {
	calls atomic.Int64
	more  int64
	err   error
}

func (c *counted) drain(context.Context) (bool, error) {
	n := c.calls.Add(1)
	return n <= c.more, c.err
}

// start runs w until the test ends; the returned channel closes when Run
// returned.
func start(t *testing.T, w Worker) (cancel func(), done <-chan struct{}) {
	ctx, cancel := context.WithCancel(t.Context())
	d := make(chan struct{})
	go func() {
		defer close(d)
		w.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-d })
	return cancel, d
}

func TestWorkerDrainsAtStartAndAtOnceWhenWoken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		wake := NewSignal()
		begin := time.Now()
		start(t, Worker{Drain: c.drain, Wake: wake, Poll: time.Hour})
		synctest.Wait()
		if n := c.calls.Load(); n != 1 {
			t.Fatalf("%d drains at start, want 1 (work queued while no worker ran)", n)
		}
		wake.Wake()
		synctest.Wait()
		if n := c.calls.Load(); n != 2 {
			t.Fatalf("%d drains after a wake, want 2", n)
		}
		if waited := time.Since(begin); waited != 0 {
			t.Errorf("the woken drain came %s later, want at once", waited)
		}
	})
}

func TestWorkerPollsWithoutWake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		start(t, Worker{Drain: c.drain, Wake: NewSignal(), Poll: time.Second})
		synctest.Wait()
		time.Sleep(time.Second - time.Millisecond)
		synctest.Wait()
		if n := c.calls.Load(); n != 1 {
			t.Fatalf("%d drains before the first poll, want 1", n)
		}
		time.Sleep(3*time.Millisecond + 2*time.Second)
		synctest.Wait()
		if n := c.calls.Load(); n != 4 {
			t.Errorf("%d drains after three polls, want 4", n)
		}
	})
}

func TestWorkerWakesFoldIntoOneDrain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		wake := NewSignal()
		release := make(chan struct{})
		slow := func(ctx context.Context) (bool, error) {
			if c.calls.Load() == 1 {
				<-release // the second drain is busy while the wakes come
			}
			return c.drain(ctx)
		}
		start(t, Worker{Drain: slow, Wake: wake, Poll: time.Hour})
		synctest.Wait()
		wake.Wake()
		synctest.Wait() // busy in the second drain
		for range 5 {
			wake.Wake() // never blocks the caller
		}
		close(release)
		synctest.Wait()
		if n := c.calls.Load(); n != 3 {
			t.Errorf("%d drains, want 3: five wakes during a drain are one more look", n)
		}
	})
}

func TestWorkerDrainsAgainWhileThereIsMore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{more: 4}
		begin := time.Now()
		start(t, Worker{Drain: c.drain, Wake: NewSignal(), Poll: time.Hour})
		synctest.Wait()
		if n := c.calls.Load(); n != 5 {
			t.Errorf("%d drains, want 5: four full batches, then the one that found the rest", n)
		}
		if waited := time.Since(begin); waited != 0 {
			t.Errorf("the drains took %s, want no wait between them", waited)
		}
	})
}

func TestWorkerStopsWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{}
		wake := NewSignal()
		cancel, done := start(t, Worker{Drain: c.drain, Wake: wake, Poll: time.Second})
		synctest.Wait()
		cancel()
		synctest.Wait()
		select {
		case <-done:
		default:
			t.Fatal("Run did not return after the context ended")
		}
		wake.Wake()
		time.Sleep(time.Minute)
		if n := c.calls.Load(); n != 1 {
			t.Errorf("%d drains, want 1: none after the context ended", n)
		}
	})
}

func TestWorkerStopsDrainingMoreWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		calls := 0
		drain := func(context.Context) (bool, error) {
			calls++
			if calls == 3 {
				cancel()
			}
			return true, nil // always more: only the end of ctx stops it
		}
		Worker{Drain: drain, Wake: NewSignal(), Poll: time.Second}.Run(ctx)
		if calls != 3 {
			t.Errorf("%d drains, want 3: the loop stops when the context ends", calls)
		}
	})
}

func TestWorkerReportsErrorsButNotTheShutdowns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		broken := errors.New("database unreachable")
		c := &counted{err: broken}
		var reported []error
		report := func(err error) { reported = append(reported, err) }
		cancel, _ := start(t, Worker{Drain: c.drain, Wake: NewSignal(), Poll: time.Second, OnError: report})
		synctest.Wait()
		time.Sleep(time.Second)
		synctest.Wait()
		if len(reported) != 2 || !errors.Is(reported[0], broken) {
			t.Fatalf("reported %v after two failed drains, want the error twice", reported)
		}
		// No retry without a wake or a poll: a failing database is not
		// hammered.
		if n := c.calls.Load(); n != 2 {
			t.Errorf("%d drains in one poll interval, want 2", n)
		}

		// A drain cut short by the shutdown fails too; that is not reported.
		ctx, stop := context.WithCancel(t.Context())
		cut := func(ctx context.Context) (bool, error) {
			stop()
			return false, ctx.Err()
		}
		n := len(reported)
		Worker{Drain: cut, Wake: NewSignal(), Poll: time.Second, OnError: report}.Run(ctx)
		if len(reported) != n {
			t.Errorf("reported %v at shutdown, want nothing", reported[n:])
		}
		cancel()
	})
}

func TestWorkerYieldsOnceBeforeEachDrainNotWithinABacklog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := &counted{more: 3}
		var yields atomic.Int64
		wake := NewSignal()
		yield := func(ctx context.Context) {
			yields.Add(1)
			time.Sleep(100 * time.Millisecond) // the urgent work, say
		}
		start(t, Worker{Drain: c.drain, Wake: wake, Poll: time.Hour, Yield: yield})
		synctest.Wait()
		if n, y := c.calls.Load(), yields.Load(); n != 0 || y != 1 {
			t.Fatalf("%d drains during the first yield (%d yields), want none yet", n, y)
		}
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if n, y := c.calls.Load(), yields.Load(); n != 4 || y != 1 {
			t.Fatalf("%d drains after %d yields, want 4 after 1: the backlog is drained without yielding again", n, y)
		}
		wake.Wake()
		synctest.Wait()
		time.Sleep(100 * time.Millisecond)
		synctest.Wait()
		if n, y := c.calls.Load(), yields.Load(); n != 5 || y != 2 {
			t.Errorf("%d drains after %d yields once woken, want 5 after 2", n, y)
		}
	})
}
