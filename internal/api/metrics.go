package api

// Prometheus series of the GraphQL surface: operation durations by name,
// type and transport, errors by code, open subscriptions and the events
// delivered on them.

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"pageinbox/internal/metrics"
)

type transportKey struct{}

// transportOf names the transport a request came on, as the transports'
// Supports methods tell them apart.
func transportOf(r *http.Request) string {
	accept := r.Header.Get("Accept")
	switch {
	case r.Header.Get("Upgrade") != "":
		return "websocket"
	case strings.Contains(accept, "text/event-stream"):
		return "sse"
	case strings.Contains(accept, "multipart/mixed"):
		return "multipart"
	case r.Method == http.MethodGet:
		return "get"
	case strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data"):
		return "upload"
	default:
		return "post"
	}
}

func withTransport(r *http.Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), transportKey{}, transportOf(r)))
}

func transportFrom(ctx context.Context) string {
	t, _ := ctx.Value(transportKey{}).(string)
	if t == "" {
		return "other"
	}
	return t
}

// operationMetrics is the gqlgen extension recording the series.
type operationMetrics struct{ m *metrics.Metrics }

var (
	_ graphql.HandlerExtension     = operationMetrics{}
	_ graphql.OperationInterceptor = operationMetrics{}
)

func (operationMetrics) ExtensionName() string                   { return "Metrics" }
func (operationMetrics) Validate(graphql.ExecutableSchema) error { return nil }

func (o operationMetrics) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	name, kind := rc.OperationName, "unknown"
	if op := rc.Operation; op != nil {
		kind = string(op.Operation)
		if name == "" {
			name = op.Name
		}
	}
	if name == "" {
		name = "anonymous"
	}
	transport := transportFrom(ctx)
	start := time.Now()
	handler := next(ctx)
	first := true
	var end func()
	if kind == string(ast.Subscription) {
		open := o.m.Subscriptions.WithLabelValues(transport)
		open.Inc()
		var once sync.Once
		end = func() { once.Do(open.Dec) }
		context.AfterFunc(ctx, end) // the client unsubscribed or went away
	}
	return func(ctx context.Context) *graphql.Response {
		res := handler(ctx)
		if first {
			first = false
			o.m.OperationDuration.WithLabelValues(name, kind, transport).Observe(time.Since(start).Seconds())
		} else if res != nil && end != nil {
			o.m.SubscriptionEvents.WithLabelValues(transport).Inc()
		}
		if res == nil && end != nil {
			end()
		}
		return res
	}
}
