package api

// Prometheus series of the GraphQL surface: operation durations by name,
// type and transport, errors by code, open subscriptions and the events
// delivered on them.

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
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
	// One object per operation carries what its responses need: an idle
	// subscription keeps it for as long as it stays open.
	op := &operationSeries{m: o.m, name: name, kind: kind, transport: transportFrom(ctx), start: time.Now(), first: true}
	op.handler = next(ctx)
	if kind == string(ast.Subscription) {
		op.open = o.m.Subscriptions.WithLabelValues(op.transport)
		op.open.Inc()
		// The client unsubscribed or went away.
		op.stop = context.AfterFunc(ctx, op.open.Dec)
	}
	return op.next
}

// operationSeries records one operation's series as its responses pass.
type operationSeries struct {
	m                     *metrics.Metrics
	name, kind, transport string
	start                 time.Time
	handler               graphql.ResponseHandler
	first                 bool
	// open is the subscription gauge, decremented once: by the AfterFunc
	// on the operation's context, or by the end of the stream when stop
	// keeps the AfterFunc from running.
	open prometheus.Gauge
	stop func() bool
}

func (op *operationSeries) next(ctx context.Context) *graphql.Response {
	res := op.handler(ctx)
	if op.first {
		op.first = false
		op.m.OperationDuration.WithLabelValues(op.name, op.kind, op.transport).Observe(time.Since(op.start).Seconds())
	} else if res != nil && op.open != nil {
		op.m.SubscriptionEvents.WithLabelValues(op.transport).Inc()
	}
	if res == nil && op.stop != nil {
		if op.stop() {
			op.open.Dec()
		}
		op.stop = nil
	}
	return res
}
