package api

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"

	"pageinbox/internal/apierr"
)

// heavyGate lets only a few large documents be parsed, validated and run
// at a time. The product's clients send documents of a few KiB; a
// document of tens or hundreds of KiB (thousands of aliases, fields or
// directives) is refused by the limits, but parsing and validating it to
// find that out still costs CPU. Without the gate a handful of clients
// sending such documents back to back take every core, and everyone's
// requests wait (rule 29: other clients unaffected). With it, large
// documents queue behind each other on half the cores, and small ones
// never wait.
type heavyGate struct {
	threshold int64
	slots     chan struct{}
}

func newHeavyGate(threshold int64) heavyGate {
	return heavyGate{threshold: threshold, slots: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))}
}

func (g heavyGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.threshold <= 0 || r.Method != http.MethodPost || strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") ||
			r.Header.Get("Accept") == "text/event-stream" || (r.ContentLength >= 0 && r.ContentLength <= g.threshold) {
			next.ServeHTTP(w, r)
			return
		}
		// Large, or of unknown length: read it (capped by capBody) to see.
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		if err != nil || int64(len(body)) <= g.threshold {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case g.slots <- struct{}{}:
			defer func() { <-g.slots }()
		case <-r.Context().Done():
			writeError(w, http.StatusServiceUnavailable, apierr.New(apierr.LimitExceeded, "the server is busy with large requests; send a smaller document"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errReader hands the transport the error reading stopped with (over the
// cap, a timeout), after the bytes that were read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}
