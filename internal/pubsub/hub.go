package pubsub

import (
	"sync"
	"sync/atomic"
)

// DefaultBuffer is how many events a subscription holds before it is
// flagged as lagging. Enough for a burst in one busy thread; a reader that
// falls further behind resynchronises from the database instead.
const DefaultBuffer = 64

// Hub fans events out to the subscriptions of this process. It is the local
// half of every broker: Memory delivers to it directly, Postgres delivers
// what its LISTEN connection receives.
type Hub struct {
	buffer int

	mu    sync.RWMutex
	subs  map[string]map[*Subscription]struct{}
	drops atomic.Int64
}

// Dropped counts events dropped because a subscription's buffer was full
// (each such subscription resynchronised instead).
func (h *Hub) Dropped() int64 { return h.drops.Load() }

// NewHub returns a hub whose subscriptions buffer `buffer` events.
func NewHub(buffer int) *Hub {
	if buffer <= 0 {
		buffer = DefaultBuffer
	}
	return &Hub{buffer: buffer, subs: make(map[string]map[*Subscription]struct{})}
}

// Subscription receives the events of its topics.
type Subscription struct {
	// C delivers events in the order the hub received them.
	C <-chan *Event
	// Lost is signalled when events may have been missed: the buffer
	// overflowed, or the broker lost its connection and reconnected. The
	// reader then resynchronises from the database.
	Lost <-chan struct{}

	c    chan *Event
	lost chan struct{}
	// lostSet mirrors lost for a reader that runs on Notify (TakeLost):
	// it sits in this struct, which such a reader reads anyway, where
	// the channel is an object of its own, cold in cache in each of
	// 10,000 subscriptions of a fan-out (3 % of its server CPU).
	lostSet  atomic.Bool
	internal bool
	started  atomic.Bool // counted by Len (see Started)
	// notify is set under the hub's lock and called under it (every
	// caller of notified holds it): a plain interface, one pointer from
	// here to the reader, where a stored func was two more objects.
	notify Waker
	hub      *Hub
	topics   []string
	once     sync.Once
	drops    atomic.Int64
	// release runs once after Close (a broker that follows local
	// interest drops the topics nobody here watches any more).
	release func()
}

// Subscribe registers a subscription to the topics.
func (h *Hub) Subscribe(topics ...string) *Subscription { return h.subscribe(false, topics) }

// Watch registers a subscription of the server itself (not a client's),
// left out of Len.
func (h *Hub) Watch(topics ...string) *Subscription { return h.subscribe(true, topics) }

func (h *Hub) subscribe(internal bool, topics []string) *Subscription {
	s := &Subscription{
		internal: internal,
		c:        make(chan *Event, h.buffer),
		lost:     make(chan struct{}, 1),
		hub:      h,
		topics:   topics,
	}
	s.C, s.Lost = s.c, s.lost
	h.mu.Lock()
	for _, t := range topics {
		set := h.subs[t]
		if set == nil {
			set = make(map[*Subscription]struct{})
			h.subs[t] = set
		}
		set[s] = struct{}{}
	}
	h.mu.Unlock()
	return s
}

// Close unregisters the subscription. It is safe to call more than once.
func (s *Subscription) Close() {
	s.once.Do(func() {
		h := s.hub
		h.mu.Lock()
		for _, t := range s.topics {
			if set := h.subs[t]; set != nil {
				delete(set, s)
				if len(set) == 0 {
					delete(h.subs, t)
				}
			}
		}
		h.mu.Unlock()
		if s.release != nil {
			s.release()
		}
	})
}

// Waker is woken when a subscription has work.
type Waker interface {
	// Wake is called from the delivering goroutine, with the hub
	// locked: it must not block, nor call back into the hub.
	Wake()
}

// Notify sets w, woken after each event is queued on C and each time
// Lost is signalled. A reader that runs only when there is work uses it
// instead of waiting on the channels (and TakeLost instead of Lost).
func (s *Subscription) Notify(w Waker) {
	h := s.hub
	h.mu.Lock()
	s.notify = w
	h.mu.Unlock()
}

// notified wakes the reader; the caller holds the hub's lock.
func (s *Subscription) notified() {
	if s.notify != nil {
		s.notify.Wake()
	}
}

// TakeLost reports whether Lost was signalled since the previous call,
// and takes the signal. It is for a reader woken by Notify, which calls
// it whenever woken: the flag is set after the signal is queued and
// before the wake, and cleared here before the signal is taken, so a
// signal is never left behind a cleared flag.
func (s *Subscription) TakeLost() bool {
	if !s.lostSet.Load() {
		return false
	}
	s.lostSet.Store(false)
	select {
	case <-s.lost:
		return true
	default: // taken with an earlier flag
		return false
	}
}

// Started marks the subscription's stream as set up: whatever its reader
// does between subscribing and following events (a notification stream
// reads which notifications are history) is done. Len counts only started
// subscriptions, so a test or an operator who sees one counted knows that
// anything committed from then on reaches its reader; counting it from
// Subscribe would let a test publish while the stream still decides what
// is history, and see the event taken for history.
func (s *Subscription) Started() { s.started.Store(true) }

// Dropped returns how many events overflowed this subscription's buffer.
func (s *Subscription) Dropped() int64 { return s.drops.Load() }

// markLost flags the subscription without blocking.
func (s *Subscription) markLost() {
	select {
	case s.lost <- struct{}{}:
	default: // already flagged
	}
	s.lostSet.Store(true)
	s.notified()
}

// Deliver hands an event to every subscription of its topic. It never
// blocks: a full subscription drops the event and is flagged as lost.
// Subscriptions share the event (read-only): a buffer slot is a pointer,
// so an idle subscription's buffer costs 8 bytes per slot, not a copy.
func (h *Hub) Deliver(ev Event) {
	p := &ev
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs[ev.Topic] {
		select {
		case s.c <- p:
			s.notified()
		default:
			s.drops.Add(1)
			h.drops.Add(1)
			s.markLost()
		}
	}
}

// LoseAll flags every subscription: the broker may have missed events (its
// connection dropped) and everybody resynchronises.
func (h *Hub) LoseAll() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	seen := make(map[*Subscription]struct{})
	for _, set := range h.subs {
		for s := range set {
			if _, ok := seen[s]; !ok {
				seen[s] = struct{}{}
				s.markLost()
			}
		}
	}
}

// LoseTopic flags the subscriptions of one topic (the broker could not
// follow it for a while).
func (h *Hub) LoseTopic(topic string) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs[topic] {
		s.markLost()
	}
}

// Len returns the number of live client subscriptions whose streams have
// started (for tests and metrics).
func (h *Hub) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	seen := make(map[*Subscription]struct{})
	for _, set := range h.subs {
		for s := range set {
			if !s.internal && s.started.Load() {
				seen[s] = struct{}{}
			}
		}
	}
	return len(seen)
}
