package webhook

// The dispatcher polls every second on every replica. While the database
// is away each poll fails; logging each would make the log grow with time
// instead of with events. So an outage is one line when it starts and one
// when it ends, and none at all on a server without webhooks (nothing is
// delayed there).

import (
	"log/slog"
	"sync/atomic"
)

type claimHealth struct {
	// hooksExist is what the last successful poll saw: any webhooks at
	// all. Until a poll succeeded (known) it is unknown, and a server
	// starting during an outage logs it: one line too many beats a silent
	// outage.
	hooksExist atomic.Bool
	known      atomic.Bool
	down       bool // only the Run goroutine touches it
	logged     bool
}

func (h *claimHealth) failed(log *slog.Logger, err error) {
	if h.down {
		return
	}
	h.down = true
	if h.hooksExist.Load() || !h.known.Load() {
		h.logged = true
		log.Warn("webhook delivery paused: the database does not answer (logged once until it recovers)", "err", err)
	}
}

func (h *claimHealth) succeeded(log *slog.Logger) {
	h.known.Store(true)
	if !h.down {
		return
	}
	h.down = false
	if h.logged {
		h.logged = false
		log.Info("webhook delivery resumed: the database answers again")
	}
}
