package webpush

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	wp "github.com/SherClockHolmes/webpush-go"

	"pageinbox/ent"
	"pageinbox/ent/notification"
	"pageinbox/ent/pushdelivery"
	"pageinbox/ent/pushjob"
	"pageinbox/ent/pushsubscription"
	"pageinbox/ent/user"
	"pageinbox/internal/clock"
	"pageinbox/internal/outbox"
	"pageinbox/internal/rule"
	"pageinbox/internal/store"
	"pageinbox/internal/viewer"
	"pageinbox/internal/webhook"
)

// Config tunes delivery.
type Config struct {
	// Guard keeps pushes away from the server's own network (rule 31),
	// the same as webhooks.
	Guard webhook.Guard
	// Subject is the VAPID "sub" claim: a mailto: or https: URL push
	// services can reach the operator at (PAGEINBOX_VAPID_SUBJECT).
	Subject string
	// TTL is how long a push service keeps a push for an offline device
	// (the TTL header; 24 h).
	TTL time.Duration
	// Timeout bounds one attempt (10 s).
	Timeout time.Duration
	// MaxAttempts before a push is dropped (8).
	MaxAttempts int
	// FirstRetry is the wait after the first failure (5 s); each further
	// one waits four times longer, up to MaxBackoff (1 h). A notification
	// older than its TTL is not worth retrying past it anyway.
	FirstRetry time.Duration
	MaxBackoff time.Duration
	// Poll is how often the dispatcher looks for work when nothing woke
	// it (other replicas' jobs, retries coming due).
	Poll time.Duration
	// Workers bounds concurrent attempts.
	Workers int
}

// DefaultConfig is rule 32's policy.
func DefaultConfig() Config {
	return Config{Subject: DefaultSubject, TTL: 24 * time.Hour, Timeout: 10 * time.Second, MaxAttempts: 8,
		FirstRetry: 5 * time.Second, MaxBackoff: time.Hour, Poll: time.Second, Workers: 8}
}

// DefaultSubject is the VAPID subject when none is configured. Push
// services may use it to contact the operator; set a real one.
const DefaultSubject = "mailto:webpush@pageinbox.invalid"

// batchSize bounds the jobs expanded and the deliveries claimed at once.
const batchSize = 100

// Dispatcher sends the outbox. Each round it expands claimed jobs into one
// delivery per (notification, subscription), then claims due deliveries
// (row locks with SKIP LOCKED and a lease, so one replica sends each) and
// pushes them.
type Dispatcher struct {
	client *ent.Client
	clock  clock.Clock
	cfg    Config
	keys   *Keys
	roles  viewer.RoleLoader
	http   *http.Client
	log    *slog.Logger
	wake   outbox.Signal
}

// NewDispatcher returns a dispatcher; call Run to start it. roles loads a
// recipient's staff roles, so a push is composed through their own
// privacy filters.
func NewDispatcher(client *ent.Client, clk clock.Clock, keys *Keys, roles viewer.RoleLoader, cfg Config, log *slog.Logger) *Dispatcher {
	dialer := &net.Dialer{Timeout: cfg.Timeout, Control: cfg.Guard.Control}
	return &Dispatcher{
		client: client, clock: clk, cfg: cfg, keys: keys, roles: roles, log: log,
		wake: outbox.NewSignal(),
		http: &http.Client{
			Timeout: cfg.Timeout,
			Transport: &http.Transport{
				Proxy:                 nil, // a proxy would dial for us, past the guard
				DialContext:           dialer.DialContext,
				TLSHandshakeTimeout:   cfg.Timeout,
				ResponseHeaderTimeout: cfg.Timeout,
				MaxIdleConnsPerHost:   8,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Wake makes the dispatcher look for work now.
func (d *Dispatcher) Wake() { d.wake.Wake() }

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	outbox.Worker{
		Wake: d.wake,
		Poll: d.cfg.Poll,
		// Round logs its own errors: a failed expansion does not stop it
		// from sending the deliveries already due. Anything done: there
		// may be more right away.
		Drain: func(ctx context.Context) (bool, error) { return d.Round(ctx) > 0, nil },
	}.Run(ctx)
}

// Round expands pending jobs and attempts one batch of due deliveries; it
// returns how much it did (0: nothing is due now).
func (d *Dispatcher) Round(ctx context.Context) int {
	expanded, err := d.expand(ctx)
	if err != nil && ctx.Err() == nil {
		d.log.Error("expand push jobs", "err", err)
	}
	batch, err := d.claim(ctx)
	if err != nil {
		if ctx.Err() == nil {
			d.log.Error("claim push deliveries", "err", err)
		}
		return expanded
	}
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
	return expanded + len(batch)
}

// expand turns up to batchSize jobs into deliveries, one per notification
// and subscription of its recipient, and deletes the jobs, in one
// transaction: a job is expanded exactly once, by one replica.
func (d *Dispatcher) expand(ctx context.Context) (int, error) {
	ctx = rule.For(ctx, rule.PushDelivery)
	n := 0
	err := store.InTx(ctx, d.client, func(tx *ent.Tx) error {
		q := tx.PushJob.Query().Order(ent.Asc(pushjob.FieldID)).Limit(batchSize)
		jobs, err := store.ForUpdate(q, entsql.WithLockAction(entsql.SkipLocked)).All(ctx)
		if err != nil || len(jobs) == 0 {
			return err
		}
		n = len(jobs)
		var jobIDs, messageIDs, notificationIDs []int
		for _, j := range jobs {
			jobIDs = append(jobIDs, j.ID)
			if j.MessageID != nil {
				messageIDs = append(messageIDs, *j.MessageID)
			}
			notificationIDs = append(notificationIDs, j.NotificationIds...)
		}
		// Only recipients with a device: a 10,000-member group chat
		// where three people installed the app makes three rows.
		ns, err := tx.Notification.Query().
			Where(notification.Or(notification.MessageIDIn(messageIDs...), notification.IDIn(notificationIDs...)),
				notification.HasRecipientWith(user.HasPushSubscriptions())).
			Select(notification.FieldID, notification.FieldRecipientID).All(ctx)
		if err != nil {
			return err
		}
		var recipients []int
		for _, nt := range ns {
			recipients = append(recipients, nt.RecipientID)
		}
		slices.Sort(recipients)
		subs, err := tx.PushSubscription.Query().Where(pushsubscription.UserIDIn(slices.Compact(recipients)...)).
			Select(pushsubscription.FieldID, pushsubscription.FieldUserID).All(ctx)
		if err != nil {
			return err
		}
		byUser := map[int][]int{}
		for _, s := range subs {
			byUser[s.UserID] = append(byUser[s.UserID], s.ID)
		}
		now := d.clock.Now()
		var rows []*ent.PushDeliveryCreate
		for _, nt := range ns {
			for _, sid := range byUser[nt.RecipientID] {
				rows = append(rows, tx.PushDelivery.Create().SetSubscriptionID(sid).SetNotificationID(nt.ID).
					SetNextAttemptAt(now).SetCreatedAt(now))
			}
		}
		wctx := rule.AuthorizePushExpand(ctx, jobIDs)
		for chunk := range slices.Chunk(rows, 1000) {
			if err := tx.PushDelivery.CreateBulk(chunk...).Exec(wctx); err != nil {
				return err
			}
		}
		_, err = tx.PushJob.Delete().Where(pushjob.IDIn(jobIDs...)).Exec(wctx)
		return err
	})
	if err != nil {
		// Nothing was expanded: a count would make the worker try again
		// at once, in a loop, while the failure lasts.
		return 0, err
	}
	return n, nil
}

// claim takes up to batchSize due deliveries and leases them to this
// replica for a little longer than an attempt can take.
func (d *Dispatcher) claim(ctx context.Context) ([]*ent.PushDelivery, error) {
	ctx = rule.For(ctx, rule.PushDelivery)
	now := d.clock.Now()
	lease := now.Add(2*d.cfg.Timeout + 5*time.Second)
	var claimed []*ent.PushDelivery
	err := store.InTx(ctx, d.client, func(tx *ent.Tx) error {
		q := tx.PushDelivery.Query().
			Where(pushdelivery.NextAttemptAtLTE(now),
				pushdelivery.Or(pushdelivery.LockedUntilIsNil(), pushdelivery.LockedUntilLT(now))).
			Order(ent.Asc(pushdelivery.FieldNextAttemptAt)).
			Limit(batchSize)
		rows, err := store.ForUpdate(q, entsql.WithLockAction(entsql.SkipLocked)).All(ctx)
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]int, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if err := tx.PushDelivery.Update().Where(pushdelivery.IDIn(ids...)).SetLockedUntil(lease).
			Exec(rule.AuthorizePushAttempts(ctx, ids, nil)); err != nil {
			return err
		}
		claimed, err = tx.PushDelivery.Query().Where(pushdelivery.IDIn(ids...)).WithSubscription().All(ctx)
		return err
	})
	return claimed, err
}

// outcome is what to do with a delivery after an attempt.
type outcome int

const (
	delivered outcome = iota // done: the push service has it
	dropped                  // done: nothing to push, or the push service refuses it for good
	gone                     // the subscription no longer exists (404, 410): remove it
	retry                    // try again later
)

// attempt pushes one delivery and records the outcome.
func (d *Dispatcher) attempt(ctx context.Context, dl *ent.PushDelivery) {
	sub := dl.Edges.Subscription
	ctx = rule.AuthorizePushAttempts(rule.For(ctx, rule.PushDelivery), []int{dl.ID}, []int{sub.ID})
	res, wait, why := d.send(ctx, dl, sub)
	var err error
	switch {
	case res == delivered:
		err = store.InTx(ctx, d.client, func(tx *ent.Tx) error {
			if err := tx.PushSubscription.UpdateOneID(sub.ID).SetLastSuccessAt(d.clock.Now()).Exec(ctx); err != nil {
				return err
			}
			return tx.PushDelivery.DeleteOneID(dl.ID).Exec(ctx)
		})
	case res == gone:
		// The browser unsubscribed or the push service expired it (RFC
		// 8030 7.3): its queue goes with it.
		err = store.InTx(ctx, d.client, func(tx *ent.Tx) error {
			if _, err := tx.PushDelivery.Delete().Where(pushdelivery.SubscriptionID(sub.ID)).Exec(ctx); err != nil {
				return err
			}
			return tx.PushSubscription.DeleteOneID(sub.ID).Exec(ctx)
		})
	case res == dropped || dl.Attempts+1 >= d.cfg.MaxAttempts:
		if res != dropped {
			d.log.Warn("push given up", "attempts", dl.Attempts+1, "why", why)
		}
		err = d.client.PushDelivery.DeleteOneID(dl.ID).Exec(ctx)
	default:
		if wait == 0 {
			wait = d.backoff(dl.Attempts + 1)
		}
		err = d.client.PushDelivery.UpdateOneID(dl.ID).SetAttempts(dl.Attempts + 1).
			SetNextAttemptAt(d.clock.Now().Add(wait)).ClearLockedUntil().Exec(ctx)
	}
	if err != nil && ctx.Err() == nil && !ent.IsNotFound(err) {
		d.log.Error("record push attempt", "err", err)
	}
}

// send composes and POSTs one push. wait is the push service's
// Retry-After, if it gave one.
func (d *Dispatcher) send(ctx context.Context, dl *ent.PushDelivery, sub *ent.PushSubscription) (res outcome, wait time.Duration, why string) {
	p, ok, err := d.compose(ctx, sub.UserID, dl.NotificationID)
	if err != nil {
		return retry, 0, err.Error()
	}
	if !ok {
		return dropped, 0, ""
	}
	resp, err := wp.SendNotificationWithContext(ctx, p.body,
		&wp.Subscription{Endpoint: sub.Endpoint, Keys: wp.Keys{P256dh: sub.P256dh, Auth: sub.Auth}},
		&wp.Options{
			HTTPClient:      d.http,
			Subscriber:      strings.TrimPrefix(d.cfg.Subject, "mailto:"), // the library adds mailto: to anything not https:
			TTL:             int(d.cfg.TTL / time.Second),
			Urgency:         p.urgency,
			Topic:           p.topic,
			VAPIDPublicKey:  d.keys.Public,
			VAPIDPrivateKey: d.keys.Private,
		})
	if err != nil {
		return retry, 0, err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	switch code := resp.StatusCode; {
	case code >= 200 && code <= 299:
		return delivered, 0, ""
	case code == http.StatusNotFound || code == http.StatusGone:
		return gone, 0, ""
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		return retry, retryAfter(resp.Header.Get("Retry-After"), d.clock.Now()), fmt.Sprintf("push service answered %d", code)
	case code >= 500:
		return retry, 0, fmt.Sprintf("push service answered %d", code)
	default:
		// 400, 401, 403, 413: this request will not get better.
		d.log.Warn("push refused", "status", code)
		return dropped, 0, ""
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. The
// wait is kept within a day.
func retryAfter(h string, now time.Time) time.Duration {
	var wait time.Duration
	if secs, err := strconv.Atoi(strings.TrimSpace(h)); err == nil {
		wait = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(h); err == nil {
		wait = at.Sub(now)
	}
	return min(max(wait, 0), 24*time.Hour)
}

// backoff is the wait after the n-th failed attempt: FirstRetry * 4^(n-1),
// capped at MaxBackoff, with ±10 % jitter.
func (d *Dispatcher) backoff(n int) time.Duration {
	wait := float64(d.cfg.FirstRetry) * math.Pow(4, float64(n-1))
	wait = math.Min(wait, float64(d.cfg.MaxBackoff))
	return time.Duration(wait * (0.9 + 0.2*rand.Float64()))
}
