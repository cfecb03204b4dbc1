package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/webhook"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/clock"
	"pageinbox/internal/outbox"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Config tunes delivery.
type Config struct {
	Guard Guard
	// Timeout bounds one attempt (15 s).
	Timeout time.Duration
	// Retries are the waits after each failed attempt, in order; a
	// delivery is FAILED when they are used up. Rule 33: they span at
	// least 3 days.
	Retries []time.Duration
	// DisableAfter switches an endpoint off once its attempts have failed
	// without a success for this long (5 days).
	DisableAfter time.Duration
	// MaxRetryAfter caps how long a Retry-After may defer the next attempt.
	MaxRetryAfter time.Duration
	// Poll is how often the dispatcher looks for due deliveries when it is
	// not woken (other replicas' events, retries coming due).
	Poll time.Duration
	// Workers bounds concurrent attempts.
	Workers int
	// Observer, when set, hears every attempt (the metrics).
	Observer Observer
}

// Observer hears each delivery attempt: its outcome (delivered, retry,
// failed) and how long after the event it ran.
type Observer interface {
	Delivered(outcome string, lag time.Duration)
}

// DefaultConfig is rule 33's policy: ten attempts over about 3 days and
// 4 hours (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h apart),
// 15 s each.
func DefaultConfig() Config {
	return Config{Timeout: 15 * time.Second,
		Retries: []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
			5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour},
		DisableAfter: 5 * 24 * time.Hour, MaxRetryAfter: 24 * time.Hour,
		Poll: time.Second, Workers: 8}
}

// MaxAttempts is how many times a delivery is tried: once, then once per
// retry.
func (c Config) MaxAttempts() int { return len(c.Retries) + 1 }

// Dispatcher delivers the outbox: it claims due deliveries (one replica at
// a time per delivery: row locks with SKIP LOCKED, then a lease), POSTs
// them signed, and records each attempt.
type Dispatcher struct {
	client  *ent.Client
	clock   clock.Clock
	cfg     Config
	http    *http.Client
	log     *slog.Logger
	notices Notices
	wake    outbox.Signal
	health  claimHealth
}

// NewDispatcher returns a dispatcher; call Run to start it. notices tells
// the page's ADMINs when it switches a webhook off.
func NewDispatcher(client *ent.Client, clk clock.Clock, cfg Config, notices Notices, log *slog.Logger) *Dispatcher {
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: cfg.Guard.control}
	return &Dispatcher{
		client: client, clock: clk, cfg: cfg, log: log, notices: notices,
		wake: outbox.NewSignal(),
		http: &http.Client{
			Timeout: cfg.Timeout,
			Transport: &http.Transport{
				Proxy:                 nil, // a proxy would dial for us, past the guard
				DialContext:           dialer.DialContext,
				TLSHandshakeTimeout:   cfg.Timeout,
				ResponseHeaderTimeout: cfg.Timeout,
				MaxIdleConnsPerHost:   4,
			},
			// A redirect is an answer, not an instruction: it is recorded
			// as a failed attempt and never followed.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Wake makes the dispatcher look for work now.
func (d *Dispatcher) Wake() { d.wake.Wake() }

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	outbox.Worker{
		Wake:  d.wake,
		Poll:  d.cfg.Poll,
		Drain: d.round,
		// An outage is logged once, not once per poll (claimHealth).
		OnError: func(err error) { d.health.failed(d.log, err) },
	}.Run(ctx)
}

// round claims and attempts one batch; more when it claimed any (there may
// be more right away).
func (d *Dispatcher) round(ctx context.Context) (more bool, err error) {
	batch, err := d.claim(ctx)
	if err != nil {
		return false, err
	}
	d.health.succeeded(d.log)
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(d.cfg.Workers, 1))
	for _, dl := range batch {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			d.attempt(ctx, dl)
		})
	}
	wg.Wait()
	return len(batch) > 0, nil
}

// claim takes up to Workers*4 due deliveries and leases them to this
// replica for a little longer than an attempt can take.
func (d *Dispatcher) claim(ctx context.Context) ([]*ent.WebhookDelivery, error) {
	// The dispatcher works for every page: it is the server itself.
	ctx = rule.For(ctx, rule.WebhookDelivery)
	now := d.clock.Now()
	lease := now.Add(2*d.cfg.Timeout + 5*time.Second)
	var claimed []*ent.WebhookDelivery
	err := store.InTx(ctx, d.client, func(tx *ent.Tx) error {
		q := tx.WebhookDelivery.Query().
			Where(
				webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING),
				webhookdelivery.NextAttemptAtLTE(now),
				webhookdelivery.Or(webhookdelivery.LockedUntilIsNil(), webhookdelivery.LockedUntilLT(now)),
				webhookdelivery.HasWebhookWith(webhook.Active(true)),
			).
			Order(ent.Asc(webhookdelivery.FieldNextAttemptAt)).
			Limit(max(d.cfg.Workers, 1) * 4)
		// Replicas skip rows another replica is claiming right now.
		rows, err := store.ForUpdate(q, entsql.WithLockAction(entsql.SkipLocked)).All(ctx)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			// Whether an outage would delay anyone's webhooks.
			exist, err := tx.Webhook.Query().Exist(ctx)
			d.health.hooksExist.Store(exist)
			return err
		}
		d.health.hooksExist.Store(true)
		ids := make([]int, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if err := tx.WebhookDelivery.Update().Where(webhookdelivery.IDIn(ids...)).SetLockedUntil(lease).
			Exec(rule.AuthorizeDeliveryAttempts(ctx, ids...)); err != nil {
			return err
		}
		claimed, err = tx.WebhookDelivery.Query().Where(webhookdelivery.IDIn(ids...)).WithWebhook().All(ctx)
		return err
	})
	return claimed, err
}

// attempt POSTs one delivery and records the outcome.
func (d *Dispatcher) attempt(ctx context.Context, dl *ent.WebhookDelivery) {
	ctx = rule.AuthorizeDeliveryAttempts(rule.For(ctx, rule.WebhookDelivery), dl.ID)
	hook := dl.Edges.Webhook
	now := d.clock.Now()
	res := d.post(ctx, hook, dl, now)
	attempts := dl.Attempts + 1
	upd := d.client.WebhookDelivery.UpdateOneID(dl.ID).SetAttempts(attempts).ClearLockedUntil()
	if res.status != 0 {
		upd.SetLastStatusCode(res.status)
	}
	after := d.clock.Now()
	var disable string
	switch {
	case res.err == nil:
		upd.SetStatus(webhookdelivery.StatusSUCCEEDED).ClearLastError().ClearNextAttemptAt()
	case res.status == http.StatusGone:
		// The receiver says the endpoint is gone for good.
		disable = fmt.Sprintf("the endpoint answered 410 Gone at %s", after.Format(time.RFC3339))
		upd.SetStatus(webhookdelivery.StatusFAILED).SetLastError(res.errText()).ClearNextAttemptAt()
	case attempts >= d.cfg.MaxAttempts():
		upd.SetStatus(webhookdelivery.StatusFAILED).SetLastError(res.errText()).ClearNextAttemptAt()
	default:
		upd.SetLastError(res.errText()).SetNextAttemptAt(after.Add(d.wait(attempts, res.retryAfter)))
	}
	if err := upd.Exec(ctx); err != nil && ctx.Err() == nil {
		d.log.Error("record webhook attempt", "err", err, "delivery", dl.DeliveryID)
	}
	if err := d.recordHealth(ctx, hook, res.err == nil, disable, after); err != nil && ctx.Err() == nil {
		d.log.Error("record webhook health", "err", err, "webhook", hook.ID)
	}
	if d.cfg.Observer != nil {
		outcome := "retry"
		switch {
		case res.err == nil:
			outcome = "delivered"
		case attempts >= d.cfg.MaxAttempts() || disable != "":
			outcome = "failed"
		}
		d.cfg.Observer.Delivered(outcome, now.Sub(dl.CreatedAt))
	}
}

// OldestPending is the age of the oldest delivery not yet made (0 when
// none is pending): the outbox's backlog, for the metrics.
func (d *Dispatcher) OldestPending(ctx context.Context) (time.Duration, error) {
	pending := d.client.WebhookDelivery.Query().
		Where(webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING)).
		Order(ent.Asc(webhookdelivery.FieldCreatedAt))
	return outbox.Age(rule.For(ctx, rule.WebhookDelivery), d.clock,
		outbox.First(pending.First, func(dl *ent.WebhookDelivery) time.Time { return dl.CreatedAt }))
}

// outcome is what one attempt got.
type outcome struct {
	status     int
	err        error
	retryAfter time.Duration // from a 429 or 503; 0 when none
}

func (o outcome) errText() string {
	t := o.err.Error()
	if len(t) > 500 {
		t = t[:500]
	}
	return t
}

// post makes one attempt: the Standard Webhooks request (rule 33).
func (d *Dispatcher) post(ctx context.Context, hook *ent.Webhook, dl *ent.WebhookDelivery, now time.Time) outcome {
	body := []byte(dl.Payload)
	ts := now.Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err != nil {
		return outcome{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "pageinbox-webhook/1")
	req.Header.Set("webhook-id", dl.EventID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", SignatureHeader(signingSecrets(hook, now), dl.EventID, ts, body))
	res, err := d.http.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	_ = res.Body.Close()
	out := outcome{status: res.StatusCode}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		out.err = fmt.Errorf("receiver answered %d", res.StatusCode)
		if res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable {
			out.retryAfter = RetryAfter(res.Header.Get("Retry-After"), d.clock.Now())
		}
	}
	return out
}

// signingSecrets are the secrets a delivery is signed with at now: the
// current one, and during the 24 h after a rotation the previous one.
func signingSecrets(h *ent.Webhook, now time.Time) []string {
	secrets := []string{h.Secret}
	if h.PreviousSecret != nil && h.PreviousSecretExpiresAt != nil && now.Before(*h.PreviousSecretExpiresAt) {
		secrets = append(secrets, *h.PreviousSecret)
	}
	return secrets
}

// wait is the delay before the next attempt after the n-th failed one: the
// receiver's Retry-After when it gave one (capped at MaxRetryAfter),
// otherwise the schedule's, with up to 10 % jitter so retries of many
// deliveries do not arrive together (only ever later, so the schedule
// never spans less than rule 33's 3 days).
func (d *Dispatcher) wait(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, d.cfg.MaxRetryAfter)
	}
	w := d.cfg.Retries[min(n, len(d.cfg.Retries))-1]
	return time.Duration(float64(w) * (1 + 0.1*rand.Float64()))
}

// RetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (RFC 9110 10.2.3). 0 when absent, unreadable or in the past.
func RetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}
