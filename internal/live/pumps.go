package live

import (
	"runtime"
	"sync"
	"time"
)

// pumper is a stream with work waiting (a driver in push mode).
type pumper interface{ pump() }

// pumps runs the streams' work on a few goroutines that take it from one
// queue, instead of a goroutine per stream per event. A fan-out to 10,000
// sockets started and ended 10,000 goroutines per event: about 2.8 us of
// each delivery's 20 (newproc, goexit, the scheduler), 11 % of the
// server's CPU in a profile.
//
// Work can block: a socket whose client stopped reading holds its write
// until the write timeout, a stalled database holds an event's load (and
// every stream of that event waits on it). So the limit counts only the
// workers that are moving. A watch, armed while the queue waits with the
// limit reached, marks a worker held once it has spent a whole interval
// (stallAfter) in one item; held workers no longer count, so the next work
// starts a fresh worker at once, for as long as they stay held. When no
// item was finished in an interval, the watch also doubles the workers
// (at most one per waiting item): a queue of 10,000 behind a stalled load
// is reached in about 11 intervals. Slow subscribers thus delay the others
// by an interval once, never by the write timeout (rule 25). Workers leave
// when the queue is empty: an idle replica runs none.
type pumps struct {
	limit int           // workers moving at once, started on demand
	stall time.Duration // stallAfter (a test may lengthen it)

	mu       sync.Mutex
	queue    []pumper
	head     int // queue[head:] waits
	workers  int // goroutines in work
	held     int // of them, marked held by the watch
	active   int // of them, in an item
	all      map[*pumpWorker]struct{}
	taken    int64 // items taken, ever
	finished int64 // items done, ever
	seen     int64 // taken at the watch's previous look
	seenDone int64 // finished at the watch's previous look
	watching bool  // the watch is armed
	watch    *time.Timer
}

// pumpWorker is one worker's state, guarded by pumps.mu.
type pumpWorker struct {
	item int64 // the taken count when it took its current item; 0 between items
	held bool  // marked by the watch: in one item for a whole interval
}

// stallAfter is how long a worker may spend in one item before it stops
// counting towards the limit.
const stallAfter = 10 * time.Millisecond

// newPumps sizes the pool for this machine: work is mostly CPU (render,
// write), with short waits for the database on an event's first load.
func newPumps() *pumps {
	p := &pumps{limit: 4 * runtime.GOMAXPROCS(0), stall: stallAfter, all: map[*pumpWorker]struct{}{}}
	p.watch = time.AfterFunc(time.Hour, p.look)
	p.watch.Stop()
	return p
}

// run queues j's work; a worker runs j.pump soon.
func (p *pumps) run(j pumper) {
	p.mu.Lock()
	p.queue = append(p.queue, j)
	start := p.workers-p.held < p.limit
	if start {
		p.workers++
	} else if !p.watching {
		p.watching = true
		p.seen, p.seenDone = p.taken, p.finished
		p.watch.Reset(p.stall)
	}
	p.mu.Unlock()
	if start {
		go p.work()
	}
}

// work runs queued work until the queue is empty.
func (p *pumps) work() {
	w := &pumpWorker{}
	p.mu.Lock()
	p.all[w] = struct{}{}
	for {
		if w.held {
			w.held = false
			p.held--
		}
		w.item = 0
		if p.head == len(p.queue) {
			p.workers--
			delete(p.all, w)
			p.reset()
			p.mu.Unlock()
			return
		}
		j := p.queue[p.head]
		p.queue[p.head] = nil
		p.head++
		p.taken++
		w.item = p.taken
		if p.head >= 4096 && 2*p.head >= len(p.queue) {
			// Under load that never empties the queue, its front is
			// reclaimed here rather than growing forever.
			n := copy(p.queue, p.queue[p.head:])
			clear(p.queue[n:])
			p.queue, p.head = p.queue[:n], 0
		}
		p.active++
		p.mu.Unlock()
		j.pump()
		p.mu.Lock()
		p.active--
		p.finished++
	}
}

// busy is how many streams are in work or queued (Streams.Delivering).
// It is counted here, where the queue is locked anyway, rather than in a
// counter every delivery would touch twice.
func (p *pumps) busy() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return int64(len(p.queue) - p.head + p.active)
}

// reset empties the queue's storage once all of it was taken, keeping
// its array unless a burst grew it large.
func (p *pumps) reset() {
	if cap(p.queue) > 1<<14 {
		p.queue = nil
	} else {
		p.queue = p.queue[:0]
	}
	p.head = 0
}

// look is the watch (see pumps): it marks the workers still in an item
// they took before its previous look, and starts workers for what waits.
func (p *pumps) look() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for w := range p.all {
		if !w.held && w.item != 0 && w.item <= p.seen {
			w.held = true
			p.held++
		}
	}
	waiting := len(p.queue) - p.head
	if waiting == 0 {
		p.watching = false
		return
	}
	more := max(p.limit-(p.workers-p.held), 0) // the held ones' places
	if p.finished == p.seenDone {
		more = max(more, p.workers, 1) // nothing finished: double
	}
	more = min(more, waiting)
	p.workers += more
	for range more {
		go p.work()
	}
	p.seen, p.seenDone = p.taken, p.finished
	p.watch.Reset(p.stall)
}
