// Package apierr defines the errors a client may see. Every error that leaves
// the server carries one of the contract's ErrorCode values; anything that is
// not an *Error is an internal failure and is masked by the GraphQL layer.
package apierr

import (
	"errors"
	"fmt"
)

// Code is a value of the contract's ErrorCode enum.
type Code string

// The contract's error codes (api.graphql, enum ErrorCode).
const (
	Unauthenticated         Code = "UNAUTHENTICATED"
	Forbidden               Code = "FORBIDDEN"
	NotFound                Code = "NOT_FOUND"
	BadUserInput            Code = "BAD_USER_INPUT"
	MessagingDisabled       Code = "MESSAGING_DISABLED"
	PageCannotInitiate      Code = "PAGE_CANNOT_INITIATE"
	ReplyWindowClosed       Code = "REPLY_WINDOW_CLOSED"
	AlreadyRepliedPrivately Code = "ALREADY_REPLIED_PRIVATELY"
	PrivateReplyExpired     Code = "PRIVATE_REPLY_EXPIRED"
	Blocked                 Code = "BLOCKED"
	RateLimited             Code = "RATE_LIMITED"
	LimitExceeded           Code = "LIMIT_EXCEEDED"
	Conflict                Code = "CONFLICT"
	QueryTooComplex         Code = "QUERY_TOO_COMPLEX"
	Internal                Code = "INTERNAL"
	// PersistedQueryNotFound: an automatic persisted query's hash is
	// unknown; the client sends the query text with it (Apollo's
	// PersistedQueryLink does so on this code).
	PersistedQueryNotFound Code = "PERSISTED_QUERY_NOT_FOUND"
	// Unavailable: temporary (the database is unreachable); retry after
	// RetryAfterSeconds.
	Unavailable Code = "UNAVAILABLE"
	// StaleThread: expectedLastSeq is behind the thread (rule 38).
	StaleThread Code = "STALE_THREAD"
)

// Known reports whether s is one of the contract's codes.
func Known(s string) bool {
	switch Code(s) {
	case Unauthenticated, Forbidden, NotFound, BadUserInput, MessagingDisabled, PageCannotInitiate,
		ReplyWindowClosed, AlreadyRepliedPrivately, PrivateReplyExpired, Blocked, RateLimited,
		LimitExceeded, Conflict, QueryTooComplex, Internal, PersistedQueryNotFound, Unavailable, StaleThread:
		return true
	}
	return false
}

// Error is a failure the client caused or may act on.
type Error struct {
	Code    Code
	Message string
	// RetryAfterSeconds is set for RATE_LIMITED and UNAVAILABLE.
	RetryAfterSeconds int
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Is lets errors.Is match on the code alone: errors.Is(err, apierr.New(apierr.NotFound, "")).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// New returns an error with a code and a message for the client.
func New(code Code, msg string) *Error { return &Error{Code: code, Message: msg} }

// Errorf formats the client message.
func Errorf(code Code, format string, a ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, a...)}
}

// NewRateLimited asks the client to retry after the given number of seconds.
func NewRateLimited(msg string, retryAfterSeconds int) *Error {
	if retryAfterSeconds < 1 {
		retryAfterSeconds = 1
	}
	return &Error{Code: RateLimited, Message: msg, RetryAfterSeconds: retryAfterSeconds}
}

// CodeOf returns the code of err, INTERNAL when err is not a client error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Has reports whether err carries code.
func Has(err error, code Code) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}
