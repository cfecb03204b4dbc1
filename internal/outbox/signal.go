package outbox

// Signal wakes a worker. It holds at most one pending wake: wakes that
// arrive while the worker drains fold into one more look (which sees all
// their work), and Wake never blocks the request whose commit called it.
type Signal chan struct{}

// NewSignal returns a signal with no wake pending.
func NewSignal() Signal { return make(Signal, 1) }

// Wake makes the worker look for work as soon as it is idle.
func (s Signal) Wake() {
	select {
	case s <- struct{}{}:
	default: // a wake is already pending
	}
}
