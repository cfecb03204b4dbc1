package pubsub

import (
	"sync/atomic"
	"time"
)

// Observer hears what a bus measures, for the metrics: how late events
// arrive from the bus, and when it had to reconnect.
type Observer interface {
	EventReceived(lag time.Duration)
	Reconnected()
}

// observerSlot holds a bus's Observer. It is set once the app has its
// metrics, while the bus's goroutines may already run, hence atomic.
type observerSlot struct{ p atomic.Pointer[Observer] }

func (s *observerSlot) set(o Observer) { s.p.Store(&o) }

func (s *observerSlot) received(lag time.Duration) {
	if o := s.p.Load(); o != nil {
		(*o).EventReceived(lag)
	}
}

func (s *observerSlot) reconnected() {
	if o := s.p.Load(); o != nil {
		(*o).Reconnected()
	}
}

// SetObserver reports this bus's lag and reconnects to o.
func (n *NATS) SetObserver(o Observer) { n.obs.set(o) }

// SetObserver reports this bus's reconnects to o (NOTIFY carries no
// timestamp to measure lag from).
func (p *Postgres) SetObserver(o Observer) { p.obs.set(o) }
