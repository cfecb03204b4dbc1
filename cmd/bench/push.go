package main

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// benchPush is the send comparison with a Web Push subscription for the
// page's owner and every visitor (each visitor message pushes to the
// owner's device), then the push dispatcher's rate on a queued batch.
func benchPush(ctx context.Context, o options, t *table) error {
	return sendComparison(ctx, o, t, "push", true)
}

// pushService is a local push service: it accepts every push (201) and
// counts them per device. Checking the encryption and the VAPID signature
// is the e2e tests' job (internal/apptest.PushService); here it would
// only load the machine the server shares.
type pushService struct {
	srv    *http.Server
	url    string
	counts []atomic.Int64 // by device: 0 is the owner, then the visitors
}

func newPushService() (*pushService, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &pushService{url: "http://" + ln.Addr().String()}
	p.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/push/"))
		if err != nil || i < 0 || i >= len(p.counts) {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		p.counts[i].Add(1)
		w.WriteHeader(http.StatusCreated)
	})}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

func (p *pushService) close() { _ = p.srv.Close() }

// register subscribes one device per token (device i for tokens[i]).
func (p *pushService) register(ctx context.Context, c *client, tokens []string) error {
	p.counts = make([]atomic.Int64, len(tokens))
	for i, tok := range tokens {
		key, err := ecdh.P256().GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		auth := make([]byte, 16)
		_, _ = rand.Read(auth)
		err = c.do(ctx, tok, `mutation($i: RegisterPushSubscriptionInput!) { registerPushSubscription(input: $i) { pushSubscription { id } } }`,
			map[string]any{"i": map[string]any{"endpoint": fmt.Sprintf("%s/push/%d", p.url, i),
				"p256dh": base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes()),
				"auth":   base64.RawURLEncoding.EncodeToString(auth)}}, nil)
		if err != nil {
			return fmt.Errorf("register push subscription: %w", err)
		}
	}
	return nil
}

// measure lets the owner's backlog from the send rounds drain, then puts
// the owner's notifications back in the outbox - one job, as the send path
// writes for a batch - and times the dispatcher from the first push to the
// last: deliveries per second from the outbox, sending alone.
func (p *pushService) measure(ctx context.Context, raw *sql.DB, postgres bool, t *table) error {
	p.settle(&p.counts[0])
	ids, err := notificationIDs(ctx, raw)
	if err != nil {
		return err
	}
	list, _ := json.Marshal(ids)
	insert := "INSERT INTO push_jobs (notification_ids, created_at) VALUES (?, ?)"
	if postgres {
		insert = "INSERT INTO push_jobs (notification_ids, created_at) VALUES ($1::jsonb, $2)"
	}
	before := p.counts[0].Load()
	if _, err := raw.ExecContext(ctx, insert, string(list), time.Now().UTC()); err != nil {
		return err
	}
	want := before + int64(len(ids))
	deadline := time.Now().Add(2 * time.Minute)
	var first time.Time
	for p.counts[0].Load() < want {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("push: %d of %d pushes arrived", p.counts[0].Load()-before, len(ids))
		}
		if first.IsZero() && p.counts[0].Load() > before {
			first = time.Now()
		}
		time.Sleep(time.Millisecond)
	}
	took := time.Since(first)
	t.add("push", fmt.Sprintf("push deliveries/s from the outbox (%d queued at once)", len(ids)),
		fmt.Sprintf("%.0f", float64(len(ids))/took.Seconds()), "", "")
	return nil
}

// notificationIDs reads up to 2,000 notifications to push again.
func notificationIDs(ctx context.Context, raw *sql.DB) ([]int, error) {
	rows, err := raw.QueryContext(ctx, "SELECT id FROM notifications ORDER BY id LIMIT 2000")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// settle waits until a device's count has not moved for a second.
func (p *pushService) settle(n *atomic.Int64) {
	for last, still := n.Load(), 0; still < 4; still++ {
		time.Sleep(250 * time.Millisecond)
		if now := n.Load(); now != last {
			last, still = now, 0
		}
	}
}
