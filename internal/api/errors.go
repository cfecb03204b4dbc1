package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"

	"entgo.io/ent/privacy"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/metrics"
	"pageinbox/internal/requestid"
)

// internalError marks a failure the client did not cause. Its text (SQL,
// driver messages) is logged, never sent.
type internalError struct{ err error }

func (e *internalError) Error() string { return e.err.Error() }
func (e *internalError) Unwrap() error { return e.err }

// classify turns what a resolver returned into a client error or an
// internal one. It runs around every field (AroundFields), so anything that
// did not pass through it - argument and variable coercion, query
// validation - is the client's input.
func classify(err error) error {
	var ae *apierr.Error
	var ge *gqlerror.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return err
	case ent.IsNotFound(err):
		return apierr.New(apierr.NotFound, "not found")
	case ent.IsValidationError(err):
		return apierr.New(apierr.BadUserInput, err.Error())
	case ent.IsConstraintError(err):
		return apierr.New(apierr.Conflict, "conflicts with existing data")
	case errors.Is(err, privacy.Deny):
		return apierr.New(apierr.Forbidden, "not allowed")
	case errors.As(err, &ge):
		// entgql reports bad pagination arguments as GraphQL errors.
		return apierr.New(apierr.BadUserInput, ge.Message)
	case outage(err):
		return &outageError{cause: err}
	default:
		return &internalError{err: err}
	}
}

// fieldErrors is the AroundFields middleware applying classify.
func fieldErrors(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	if err != nil {
		return res, classify(err)
	}
	return res, nil
}

// presenter shapes every error of a response: extensions.code always set,
// internal details masked and logged.
type presenter struct {
	log     *slog.Logger
	metrics *metrics.Metrics
}

func (p presenter) present(ctx context.Context, err error) *gqlerror.Error {
	out := p.shape(ctx, err)
	if p.metrics != nil {
		code, _ := out.Extensions["code"].(string)
		p.metrics.Errors.WithLabelValues(code).Inc()
		if code == string(apierr.RateLimited) {
			p.metrics.RateLimited.Inc()
		}
	}
	return out
}

func (p presenter) shape(ctx context.Context, err error) *gqlerror.Error {
	out := &gqlerror.Error{}
	var ge *gqlerror.Error
	if errors.As(err, &ge) {
		out.Path, out.Locations = ge.Path, ge.Locations
		out.Message = ge.Message
	} else {
		out.Path = graphql.GetPath(ctx)
		out.Message = err.Error()
	}
	var (
		ae *apierr.Error
		ie *internalError
	)
	switch {
	case errors.As(err, &ae):
		out.Message = ae.Message
		out.Extensions = map[string]any{"code": string(ae.Code)}
		switch {
		case ae.Code == apierr.Unavailable && ctx.Err() != nil:
			// The client went away while the database was being
			// reached: a dial cut short by the cancellation reads like an
			// outage ("dial tcp ...: operation was canceled"), but it is
			// the same non-event as below.
			p.log.DebugContext(ctx, "operation canceled", "err", oneLine(err))
		case ae.Code == apierr.Unavailable:
			// The cause is only in the log.
			p.log.WarnContext(ctx, "unavailable", "err", oneLine(err), "path", out.Path.String())
		}
		if ae.RetryAfterSeconds > 0 {
			out.Extensions["retryAfterSeconds"] = ae.RetryAfterSeconds
		}
	case errors.As(err, &ie):
		if errors.Is(ie.err, context.Canceled) || errors.Is(ie.err, context.DeadlineExceeded) || ctx.Err() != nil {
			// The client went away (a dropped socket ends all its
			// operations at once): nobody reads the answer, and one log
			// line per canceled resolver would make logs grow with the
			// load instead of with the events. The driver does not
			// always say "context canceled" (lib/pq answers "canceling
			// statement due to user request", database/sql "transaction
			// has already been committed or rolled back"), so the
			// request's own context decides.
			p.log.DebugContext(ctx, "operation canceled", "err", oneLine(ie.err))
			out.Message = "the request was canceled"
		} else {
			p.log.ErrorContext(ctx, "internal error", "err", oneLine(ie.err), "path", out.Path.String())
			out.Message = "internal error"
		}
		out.Extensions = map[string]any{"code": string(apierr.Internal)}
		if id := requestid.From(ctx); id != "" {
			// What a user quotes in a report, and finds in the log line.
			out.Extensions["requestId"] = id
		}
	default:
		// Parse, validation and coercion errors: the request was wrong.
		code := apierr.BadUserInput
		if ge != nil {
			if c, ok := ge.Extensions["code"].(string); ok && apierr.Known(c) {
				code = apierr.Code(c) // set by our own checks (limits.go)
			}
			if c, msg, ok := transportRefusal(ge.Message); ok {
				code, out.Message = c, msg
			}
		}
		var num *strconv.NumError
		if errors.As(err, &num) {
			// IDs are numbers; the parser's text ("strconv.Atoi: ...")
			// says nothing to a client.
			out.Message = fmt.Sprintf("%q is not a valid ID", num.Num)
		}
		out.Extensions = map[string]any{"code": string(code)}
	}
	return out
}

// oneLine is an error's text on one line: errors.Join and some drivers
// put newlines in it, which would split a record in line-based log
// pipelines.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " | ")), " ")
}

// transportRefusal rewrites gqlgen's own refusals, whose text is fixed by
// gqlgen: the POST transport's echoes the whole body and Go type names
// ("cannot unmarshal array into Go value of type graphql.RawParams").
func transportRefusal(msg string) (apierr.Code, string, bool) {
	switch {
	case strings.HasPrefix(msg, "exceeded token limit"):
		return apierr.QueryTooComplex, "the query is too long: " + msg, true
	case strings.HasPrefix(msg, "json request body could not be decoded"):
		return apierr.BadUserInput, `the body must be a JSON object such as {"query": "...", "variables": {}}, or an array of them`, true
	case strings.HasPrefix(msg, "could not read request body"):
		if strings.Contains(msg, "too large") {
			return apierr.LimitExceeded, "the request body is too large", true
		}
		return apierr.BadUserInput, "the request body could not be read", true
	}
	return "", "", false
}

// present is a graphql.ErrorPresenterFunc.
func (p presenter) errorPresenter() graphql.ErrorPresenterFunc { return p.present }

// recoverPanic masks a resolver panic as an internal error.
func (p presenter) recoverPanic(ctx context.Context, v any) error {
	p.log.ErrorContext(ctx, "panic in resolver", "panic", v, "stack", string(debug.Stack()))
	return &internalError{err: fmt.Errorf("panic: %v", v)}
}

// writeError answers a request refused before GraphQL ran.
func writeError(w http.ResponseWriter, status int, e *apierr.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": e.Message, "extensions": map[string]any{"code": string(e.Code)}}},
	})
}
