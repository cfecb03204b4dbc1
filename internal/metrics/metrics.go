// Package metrics is pageinbox's Prometheus instrumentation: one registry
// owned by the app (no package globals, so test servers in one process do
// not share series), the series every part of the server reports to, and
// the /metrics handler.
//
// Other parts report through small interfaces (BusObserver, the outbox
// age functions) so they need not know Prometheus.
package metrics

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the registry and the series.
type Metrics struct {
	Registry *prometheus.Registry

	// Operations: duration by operation name, type and transport (the
	// first answer of a query or mutation; a subscription's set-up).
	OperationDuration *prometheus.HistogramVec
	// Errors counts the errors sent to clients, by extensions.code.
	Errors *prometheus.CounterVec
	// RateLimited counts refusals of rule 23's and rule 30's limits.
	RateLimited prometheus.Counter
	// Subscriptions open now, by transport; SubscriptionEvents counts the
	// events delivered on them.
	Subscriptions      *prometheus.GaugeVec
	SubscriptionEvents *prometheus.CounterVec
	// WebhookDeliveries counts attempts by outcome; WebhookLag is how late
	// a delivery attempt ran after its event.
	WebhookDeliveries *prometheus.CounterVec
	WebhookLag        prometheus.Histogram
	// BusLag and BusReconnects are the event bus's (BusObserver).
	BusLag        prometheus.Histogram
	BusReconnects prometheus.Counter
}

// New makes the registry with Go's runtime and process collectors.
func New() *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	latency := []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	m := &Metrics{
		Registry: r,
		OperationDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pageinbox_graphql_operation_duration_seconds", Help: "GraphQL operation duration (to the first answer) by operation name, type and transport.",
			Buckets: latency}, []string{"operation", "type", "transport"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pageinbox_graphql_errors_total", Help: "Errors sent to clients, by extensions.code."}, []string{"code"}),
		RateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pageinbox_rate_limited_total", Help: "Requests refused by a rate limit (RATE_LIMITED)."}),
		Subscriptions: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pageinbox_subscriptions_open", Help: "Open GraphQL subscriptions by transport."}, []string{"transport"}),
		SubscriptionEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pageinbox_subscription_events_total", Help: "Events delivered to subscribers, by transport."}, []string{"transport"}),
		WebhookDeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pageinbox_webhook_deliveries_total", Help: "Webhook delivery attempts by outcome (delivered, retry, failed)."}, []string{"outcome"}),
		WebhookLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "pageinbox_webhook_delivery_lag_seconds", Help: "How long after its event a webhook delivery attempt ran.",
			Buckets: []float64{.05, .1, .5, 1, 5, 30, 60, 300, 1800, 7200}}),
		BusLag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "pageinbox_event_bus_lag_seconds", Help: "Time from an event's commit to this replica receiving it from the event bus.",
			Buckets: latency}),
		BusReconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pageinbox_event_bus_reconnects_total", Help: "Reconnections of this replica to the event bus."}),
	}
	r.MustRegister(m.OperationDuration, m.Errors, m.RateLimited, m.Subscriptions, m.SubscriptionEvents,
		m.WebhookDeliveries, m.WebhookLag, m.BusLag, m.BusReconnects)
	return m
}

// DB reports the pool's statistics (open, in use, idle connections, waits)
// as go_sql_* series labelled db_name.
func (m *Metrics) DB(name string, db *sql.DB) {
	m.Registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// Gauge reports a value read at scrape time (open websockets, ...).
func (m *Metrics) Gauge(name, help string, f func() float64) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// OutboxAge reports the age of an outbox's oldest undelivered entry as
// pageinbox_outbox_oldest_seconds{outbox=name}. webhook registers
// "webhooks"; the push outbox registers "push" the same way.
func (m *Metrics) OutboxAge(name string, oldest func(ctx context.Context) (time.Duration, error), log *slog.Logger) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "pageinbox_outbox_oldest_seconds", Help: "Age of the oldest undelivered outbox entry (0 when empty).",
		ConstLabels: prometheus.Labels{"outbox": name},
	}, func() float64 {
		// A scrape must not hang on a hung database.
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		d, err := oldest(ctx)
		if err != nil {
			log.Debug("outbox age unknown", "outbox", name, "err", err)
			return -1
		}
		return d.Seconds()
	}))
}

// BusObserver is what an event bus reports: how late events arrive and
// when it had to reconnect. *Metrics implements it.
type BusObserver interface {
	EventReceived(lag time.Duration)
	Reconnected()
}

// EventReceived records an event's bus lag.
func (m *Metrics) EventReceived(lag time.Duration) { m.BusLag.Observe(lag.Seconds()) }

// Reconnected counts a reconnection to the bus.
func (m *Metrics) Reconnected() { m.BusReconnects.Inc() }

// Delivered records a webhook attempt (webhook.Observer).
func (m *Metrics) Delivered(outcome string, lag time.Duration) {
	m.WebhookDeliveries.WithLabelValues(outcome).Inc()
	m.WebhookLag.Observe(lag.Seconds())
}

// Handler serves the registry in Prometheus' text format; with a token,
// only to requests bearing it.
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
	if token == "" {
		return h
	}
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the bearer token (PAGEINBOX_METRICS_TOKEN)", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
