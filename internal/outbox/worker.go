package outbox

import (
	"context"
	"time"
)

// Drain does one round of a worker's work: it claims a batch and handles
// it. more reports that there may be more right away (typically: the batch
// was full), so the worker goes on without waiting for a wake or a poll.
type Drain func(ctx context.Context) (more bool, err error)

// Worker runs a Drain whenever there may be work.
type Worker struct {
	Drain Drain
	// Wake makes the worker drain now rather than at the next poll.
	Wake Signal
	// Poll is how often the worker drains when nothing woke it: work
	// queued by other replicas, retries coming due.
	Poll time.Duration
	// OnError hears Drain's errors, except those of the round that was
	// running when ctx ended (they are the shutdown, not a fault). nil:
	// Drain reports its own. The worker does not back off after an error:
	// it waits for the next wake or poll unless Drain also reported more,
	// as after a success.
	OnError func(error)
	// Yield, when set, runs before the first Drain after each wake or
	// poll, never between the rounds of a backlog: a worker whose work can
	// wait a moment lets more urgent work go first there, without its
	// throughput falling behind when work piles up.
	Yield func(ctx context.Context)
}

// Run drains until ctx ends: once at the start (work may have been queued
// while no worker ran), then after each wake and each poll, each time
// draining again at once for as long as Drain reports more.
func (w Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		w.drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.Wake:
		}
	}
}

// drain calls Drain until it reports nothing more, or ctx ends.
func (w Worker) drain(ctx context.Context) {
	if w.Yield != nil {
		w.Yield(ctx)
	}
	for ctx.Err() == nil {
		more, err := w.Drain(ctx)
		if err != nil && ctx.Err() == nil && w.OnError != nil {
			w.OnError(err)
		}
		if !more {
			return
		}
	}
}
