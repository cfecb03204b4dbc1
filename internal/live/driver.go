package live

import (
	"context"
	"sync"
	"sync/atomic"

	"pageinbox/internal/pubsub"
	"pageinbox/internal/push"
)

// machine is the logic of one subscription stream; a driver feeds it its
// broker events. Each method returns false to end the stream.
type machine interface {
	// start runs once, first (a replay, say).
	start(ctx context.Context) bool
	// lost: events may have been missed; resynchronise from the database.
	lost(ctx context.Context) bool
	// event handles one broker event.
	event(ctx context.Context, ev *pubsub.Event) bool
	// stop releases what the stream holds; it runs once, last.
	stop()
}

// driver runs a machine in one of two ways. With a push.Sink in the
// context (our websocket transport), it runs only when there is work - an
// event, a lost flag, injected work or the end - on one of the
// replica's pump workers (pumps.go), and each value is rendered and
// written by the transport before the next is produced: an idle stream
// owns no goroutine. Without one (server-sent events), a goroutine waits
// on the broker and hands values over the channel, gqlgen's usual model.
type driver[T any] struct {
	// ctx is the subscription's own context, kept because the driver is
	// the operation (like an http.Request): its work starts from broker
	// callbacks and timers, which have no context of their own.
	ctx  context.Context
	sub  *pubsub.Subscription
	m    machine
	out  chan T
	sink push.Sink
	wake chan struct{} // goroutine mode: injected work is waiting
	// over is set once ctx ends (push mode), before the pump is woken
	// to finish. The pump checks it for every event instead of
	// ctx.Err(): the subscription's context is a chain of a dozen gqlgen
	// values, cold in cache in each of 10,000 streams, and walking it
	// was 8 % of a large fan-out's CPU (about 2 us per delivery).
	over atomic.Bool
	// pumps runs the work (push mode).
	pumps *pumps

	mu        sync.Mutex
	injected  []func() bool // work from timers, run by the driver
	running   bool          // push mode: a pump is draining
	again     bool          // push mode: more work arrived meanwhile
	started   bool
	done      bool
	stopWatch func() bool
}

// drive starts m on sub and returns the stream's channel. bind hands the
// machine its driver (for emit and inject) before anything runs.
func drive[T any](ctx context.Context, s *Streams, sub *pubsub.Subscription, m machine, bind func(d *driver[T])) <-chan T {
	d := &driver[T]{ctx: ctx, sub: sub, m: m, wake: make(chan struct{}, 1), pumps: s.pumps}
	d.sink = push.FromContext(ctx)
	bind(d)
	// The stream has done its setup (subscribed, then read what is
	// history): from here on it counts as subscribed.
	sub.Started()
	if d.sink == nil {
		d.out = make(chan T)
		go d.loop()
		return d.out
	}
	// The transport takes each value off the channel while Deliver runs,
	// so one slot never blocks.
	d.out = make(chan T, 1)
	d.sink.Attach()
	sub.Notify(d)
	d.stopWatch = context.AfterFunc(ctx, d.end)
	d.Wake() // start, and whatever arrived before Notify
	return d.out
}

// emit delivers a value to the subscriber; false when it is gone.
func (d *driver[T]) emit(v T) bool {
	if d.sink == nil {
		return send(d.ctx, d.out, v)
	}
	return d.sink.Deliver(v, func() { d.out <- v })
}

// inject queues work for the stream (from a timer): it runs on the
// driver, like an event.
func (d *driver[T]) inject(f func() bool) {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return
	}
	d.injected = append(d.injected, f)
	d.mu.Unlock()
	if d.sink != nil {
		d.Wake()
		return
	}
	select {
	case d.wake <- struct{}{}:
	default: // already signalled
	}
}

func (d *driver[T]) runInjected() bool {
	d.mu.Lock()
	work := d.injected
	d.injected = nil
	d.mu.Unlock()
	for _, f := range work {
		if !f() {
			return false
		}
	}
	return true
}

// loop is the goroutine mode.
func (d *driver[T]) loop() {
	defer d.finish()
	if !d.m.start(d.ctx) {
		return
	}
	for {
		select {
		case <-d.ctx.Done():
			return
		case <-d.sub.Lost:
			if !d.m.lost(d.ctx) {
				return
			}
		case ev := <-d.sub.C:
			if !d.m.event(d.ctx, ev) {
				return
			}
		case <-d.wake:
			if !d.runInjected() {
				return
			}
		}
	}
}

// end runs once ctx ends (push mode): the pump finishes the stream.
func (d *driver[T]) end() {
	d.over.Store(true)
	d.Wake()
}

// Wake makes sure a pump drains the stream's work (push mode). The
// subscription calls it when an event or a lost flag is waiting
// (pubsub.Waker); the driver itself for its start, injected work and
// its end.
func (d *driver[T]) Wake() {
	d.mu.Lock()
	switch {
	case d.done:
	case d.running:
		d.again = true
	default:
		d.running = true
		d.pumps.run(d)
	}
	d.mu.Unlock()
}

func (d *driver[T]) pump() {
	for {
		if !d.drain() {
			d.finish()
			return
		}
		d.mu.Lock()
		if !d.again {
			d.running = false
			d.mu.Unlock()
			return
		}
		d.again = false
		d.mu.Unlock()
	}
}

// drain handles everything waiting; false ends the stream.
func (d *driver[T]) drain() bool {
	if !d.started {
		d.started = true
		if !d.m.start(d.ctx) {
			return false
		}
	}
	for {
		if d.over.Load() {
			return false
		}
		// A flag and a receive rather than one select: a select of
		// several channels locks every one of them, a lone non-blocking
		// receive on an empty channel locks none, and the lost flag is
		// in the subscription, where the channel is one more object to
		// fetch. Lost goes first: the stream resynchronises before it
		// goes on.
		if d.sub.TakeLost() {
			if !d.m.lost(d.ctx) {
				return false
			}
			continue
		}
		select {
		case ev := <-d.sub.C:
			if !d.m.event(d.ctx, ev) {
				return false
			}
			continue
		default:
		}
		d.mu.Lock()
		pending := len(d.injected) > 0
		d.mu.Unlock()
		if !pending {
			return true
		}
		if !d.runInjected() {
			return false
		}
	}
}

// finish ends the stream once.
func (d *driver[T]) finish() {
	d.mu.Lock()
	if d.done {
		d.mu.Unlock()
		return
	}
	d.done = true
	d.injected = nil
	d.mu.Unlock()
	d.m.stop()
	d.sub.Close()
	if d.stopWatch != nil {
		d.stopWatch()
	}
	close(d.out)
	if d.sink != nil {
		d.sink.Close()
	}
}
