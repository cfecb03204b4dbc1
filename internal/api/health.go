package api

// Readiness for load balancers: during a database outage /readyz answers
// 503 within the check's deadline, and logs once per outage, not once per
// probe.

import (
	"log/slog"
	"net/http"
	"sync/atomic"
)

func readiness(health Health, log *slog.Logger) http.Handler {
	var down atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := health(r.Context()); err != nil {
			if !down.Swap(true) {
				log.Warn("not ready: the database does not answer", "err", err)
			}
			http.Error(w, "database unreachable", http.StatusServiceUnavailable)
			return
		}
		if down.Swap(false) {
			log.Info("ready again: the database answers")
		}
		_, _ = w.Write([]byte("ok\n"))
	})
}
