package api

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// bodyDeadline bounds how long reading a request body may take: a client
// trickling a body byte by byte would otherwise hold its connection (and a
// goroutine) as long as it likes. The deadline is lifted once the body is
// read, because net/http's background read after the body (which notices
// clients that hang up) would otherwise cancel long answers such as event
// streams when it passed. http.Server's ReadTimeout is not used for the
// same reason. Uploads get longer.
func bodyDeadline(body, upload time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := body
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			d = upload
		}
		if d <= 0 || r.Body == nil || r.Body == http.NoBody || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if rc.SetReadDeadline(time.Now().Add(d)) == nil {
			r.Body = &deadlineBody{ReadCloser: r.Body, lift: func() { _ = rc.SetReadDeadline(time.Time{}) }}
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the read deadline when the body ends.
type deadlineBody struct {
	io.ReadCloser
	lift   func()
	lifted bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && !b.lifted {
		b.lifted = true
		if !isTimeout(err) {
			b.lift()
		}
	}
	return n, err
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}
