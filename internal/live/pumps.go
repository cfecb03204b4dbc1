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
// every stream of that event waits on it). So the limit is not a cap:
// while the queue waits and no worker took anything for stallAfter, a
// watch doubles the workers (at most one per waiting stream), interval
// after interval until the queue moves again. Slow subscribers delay the
// others by a few milliseconds, never by the write timeout (rule 25); a
// queue of 10,000 behind a stalled load is reached in about 11 intervals.
// Workers leave when the queue is empty: an idle replica runs none.
type pumps struct {
	limit int           // workers started on demand; more only when they stall
	stall time.Duration // stallAfter (a test may lengthen it)

	mu       sync.Mutex
	queue    []pumper
	head     int   // queue[head:] waits
	workers  int   // goroutines in work
	taken    int64 // items taken, ever (the watch compares)
	seen     int64 // taken at the watch's previous look
	watching bool  // the watch is armed
	watch    *time.Timer
}

// stallAfter is how long the queue may wait with every worker held up
// before the watch adds one.
const stallAfter = 10 * time.Millisecond

// newPumps sizes the pool for this machine: work is mostly CPU (render,
// write), with short waits for the database on an event's first load.
func newPumps() *pumps {
	p := &pumps{limit: 4 * runtime.GOMAXPROCS(0), stall: stallAfter}
	p.watch = time.AfterFunc(time.Hour, p.look)
	p.watch.Stop()
	return p
}

// run queues j's work; a worker runs j.pump soon.
func (p *pumps) run(j pumper) {
	p.mu.Lock()
	p.queue = append(p.queue, j)
	start := p.workers < p.limit
	if start {
		p.workers++
	} else if !p.watching {
		p.watching = true
		p.seen = p.taken
		p.watch.Reset(p.stall)
	}
	p.mu.Unlock()
	if start {
		go p.work()
	}
}

// work runs queued work until the queue is empty.
func (p *pumps) work() {
	for {
		p.mu.Lock()
		if p.head == len(p.queue) {
			p.workers--
			p.reset()
			p.mu.Unlock()
			return
		}
		j := p.queue[p.head]
		p.queue[p.head] = nil
		p.head++
		p.taken++
		if p.head >= 4096 && 2*p.head >= len(p.queue) {
			// Under load that never empties the queue, its front is
			// reclaimed here rather than growing forever.
			n := copy(p.queue, p.queue[p.head:])
			clear(p.queue[n:])
			p.queue, p.head = p.queue[:n], 0
		}
		p.mu.Unlock()
		j.pump()
	}
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

// look is the watch: a waiting queue that nobody took from since the
// previous look gets as many workers again.
func (p *pumps) look() {
	p.mu.Lock()
	defer p.mu.Unlock()
	waiting := len(p.queue) - p.head
	if waiting == 0 {
		p.watching = false
		return
	}
	if p.taken == p.seen {
		more := min(max(p.workers, 1), waiting)
		p.workers += more
		for range more {
			go p.work()
		}
	}
	p.seen = p.taken
	p.watch.Reset(p.stall)
}
