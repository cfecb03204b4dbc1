package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/ent/webhookdelivery"
	"pageinbox/internal/clock"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
)

// Config tunes delivery.
type Config struct {
	Guard Guard
	// Timeout bounds one attempt (10 s).
	Timeout time.Duration
	// MaxAttempts before a delivery is FAILED (8).
	MaxAttempts int
	// FirstRetry is the delay after the first failure (5 s); each further
	// retry waits four times longer, up to MaxBackoff (2 h). Eight attempts
	// span about four hours.
	FirstRetry time.Duration
	MaxBackoff time.Duration
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

// DefaultConfig is rule 22's policy.
func DefaultConfig() Config {
	return Config{Timeout: 10 * time.Second, MaxAttempts: 8, FirstRetry: 5 * time.Second,
		MaxBackoff: 2 * time.Hour, Poll: time.Second, Workers: 8}
}

// Dispatcher delivers the outbox: it claims due deliveries (one replica at
// a time per delivery: row locks with SKIP LOCKED, then a lease), POSTs
// them signed, and records each attempt.
type Dispatcher struct {
	client *ent.Client
	clock  clock.Clock
	cfg    Config
	http   *http.Client
	log    *slog.Logger
	wake   chan struct{}
	health claimHealth
}

// NewDispatcher returns a dispatcher; call Run to start it.
func NewDispatcher(client *ent.Client, clk clock.Clock, cfg Config, log *slog.Logger) *Dispatcher {
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: cfg.Guard.control}
	return &Dispatcher{
		client: client, clock: clk, cfg: cfg, log: log,
		wake: make(chan struct{}, 1),
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
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	t := time.NewTicker(d.cfg.Poll)
	defer t.Stop()
	for {
		for d.round(ctx) > 0 && ctx.Err() == nil {
			// a full batch: there may be more right away
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.wake:
		}
	}
}

// round claims and attempts one batch; it returns how many it claimed.
func (d *Dispatcher) round(ctx context.Context) int {
	batch, err := d.claim(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.health.failed(d.log, err)
		}
		return 0
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
	return len(batch)
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
	ts := now.Unix()
	body := []byte(dl.Payload)
	status, errText := 0, ""
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "pageinbox-webhook/1")
		req.Header.Set("X-Pageinbox-Event", string(dl.Event))
		req.Header.Set("X-Pageinbox-Delivery", dl.DeliveryID)
		req.Header.Set("X-Pageinbox-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-Pageinbox-Signature", Sign(hook.Secret, ts, body))
		var res *http.Response
		if res, err = d.http.Do(req); err == nil {
			status = res.StatusCode
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			_ = res.Body.Close()
			if status < 200 || status > 299 {
				err = fmt.Errorf("receiver answered %d", status)
			}
		}
	}
	if err != nil {
		errText = err.Error()
		if len(errText) > 500 {
			errText = errText[:500]
		}
	}
	attempts := dl.Attempts + 1
	upd := d.client.WebhookDelivery.UpdateOneID(dl.ID).SetAttempts(attempts).ClearLockedUntil()
	if status != 0 {
		upd.SetLastStatusCode(status)
	}
	switch {
	case err == nil:
		upd.SetStatus(webhookdelivery.StatusSUCCEEDED).ClearLastError().ClearNextAttemptAt()
	case attempts >= d.cfg.MaxAttempts:
		upd.SetStatus(webhookdelivery.StatusFAILED).SetLastError(errText).ClearNextAttemptAt()
	default:
		upd.SetLastError(errText).SetNextAttemptAt(d.clock.Now().Add(d.backoff(attempts)))
	}
	if err := upd.Exec(ctx); err != nil && ctx.Err() == nil {
		d.log.Error("record webhook attempt", "err", err, "delivery", dl.DeliveryID)
	}
	if d.cfg.Observer != nil {
		outcome := "retry"
		switch {
		case err == nil:
			outcome = "delivered"
		case attempts >= d.cfg.MaxAttempts:
			outcome = "failed"
		}
		d.cfg.Observer.Delivered(outcome, now.Sub(dl.CreatedAt))
	}
}

// OldestPending is the age of the oldest delivery not yet made (0 when
// none is pending): the outbox's backlog, for the metrics.
func (d *Dispatcher) OldestPending(ctx context.Context) (time.Duration, error) {
	ctx = rule.For(ctx, rule.WebhookDelivery)
	oldest, err := d.client.WebhookDelivery.Query().
		Where(webhookdelivery.StatusEQ(webhookdelivery.StatusPENDING)).
		Order(ent.Asc(webhookdelivery.FieldCreatedAt)).First(ctx)
	if ent.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return d.clock.Now().Sub(oldest.CreatedAt), nil
}

// backoff is the wait after the n-th failed attempt: FirstRetry * 4^(n-1),
// capped at MaxBackoff, with ±10 % jitter so retries of many deliveries do
// not arrive together.
func (d *Dispatcher) backoff(n int) time.Duration {
	wait := float64(d.cfg.FirstRetry) * math.Pow(4, float64(n-1))
	wait = math.Min(wait, float64(d.cfg.MaxBackoff))
	return time.Duration(wait * (0.9 + 0.2*rand.Float64()))
}
