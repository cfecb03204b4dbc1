package api

// A database outage: temporary, and the client's to retry - never its
// fault, and never the driver's words.

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

	"pageinbox/internal/apierr"
)

// outageRetryAfter is the retry hint of an UNAVAILABLE answer: long enough
// for a database failover or restart, short enough that users do not
// notice more than a blip.
const outageRetryAfter = 5

// outage reports an error that means the database (or the network to it)
// is down, as the drivers report it: a failed dial or a broken connection
// (lib/pq: *net.OpError, io.ErrUnexpectedEOF; database/sql: ErrBadConn).
func outage(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET)
}

// outageError keeps an outage's cause for the log; the client sees the
// UNAVAILABLE error it unwraps to.
type outageError struct{ cause error }

func (e *outageError) Error() string { return e.cause.Error() }
func (e *outageError) Unwrap() error { return errUnavailable() }

// errUnavailable is what a client sees of an outage.
func errUnavailable() *apierr.Error {
	return &apierr.Error{Code: apierr.Unavailable, Message: "the service is temporarily unavailable; retry shortly", RetryAfterSeconds: outageRetryAfter}
}
