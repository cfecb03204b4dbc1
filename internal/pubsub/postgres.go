package pubsub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"
)

// Channel is the PostgreSQL notification channel replicas share.
const Channel = "pageinbox_events"

// Postgres is the broker of replicas sharing a PostgreSQL database: events
// go out with NOTIFY and come back to every replica (the publisher
// included) through one LISTEN connection each (lib/pq's Listener), which
// hands them to the local hub.
//
// NOTIFY is lossy when a listener is disconnected. lib/pq reconnects by
// itself and then says so; every local subscription is then flagged as
// lossy and resynchronises from the database (internal/live), so a dropped
// connection costs a catch-up query, never a message.
type Postgres struct {
	hub      *Hub
	db       *sql.DB
	listener *pq.Listener
	log      *slog.Logger
	done     chan struct{}
	stopped  sync.WaitGroup

	mu         sync.Mutex
	reconnects int
}

// NewPostgres connects the listener and starts relaying.
func NewPostgres(dsn string, db *sql.DB, buffer int, log *slog.Logger) (*Postgres, error) {
	p := &Postgres{hub: NewHub(buffer), db: db, log: log, done: make(chan struct{})}
	p.listener = pq.NewListener(dsn, 50*time.Millisecond, 2*time.Second, p.onEvent)
	if err := p.listener.Listen(Channel); err != nil {
		_ = p.listener.Close()
		return nil, fmt.Errorf("pubsub: listen: %w", err)
	}
	p.stopped.Go(p.relay)
	return p, nil
}

// onEvent logs the listener's connection changes.
func (p *Postgres) onEvent(ev pq.ListenerEventType, err error) {
	switch ev {
	case pq.ListenerEventDisconnected:
		p.log.Warn("event listener disconnected; reconnecting", "err", err)
	case pq.ListenerEventReconnected:
		p.log.Info("event listener reconnected; subscribers resynchronise")
	case pq.ListenerEventConnectionAttemptFailed:
		p.log.Warn("event listener cannot reconnect yet", "err", err)
	}
}

// relay hands notifications to the hub until Close.
func (p *Postgres) relay() {
	// A quiet connection is checked now and then, so a silently dead one
	// is noticed (and reconnected) instead of waiting forever.
	ping := time.NewTicker(30 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-ping.C:
			go func() { _ = p.listener.Ping() }()
		case n, ok := <-p.listener.Notify:
			if !ok {
				return
			}
			if n == nil {
				// lib/pq reconnected: anything sent meanwhile was lost.
				p.mu.Lock()
				p.reconnects++
				p.mu.Unlock()
				p.hub.LoseAll()
				continue
			}
			var ev Event
			if err := json.Unmarshal([]byte(n.Extra), &ev); err != nil {
				p.log.Error("undecodable event", "err", err)
				continue
			}
			p.hub.Deliver(ev)
		}
	}
}

// Publish sends the events to every replica in one statement.
func (p *Postgres) Publish(ctx context.Context, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	payloads := make([]string, len(events))
	for i, ev := range events {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		payloads[i] = string(b) // ids only: far below NOTIFY's 8000-byte limit
	}
	_, err := p.db.ExecContext(ctx, `SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS e(payload, n) ORDER BY n`,
		Channel, pq.Array(payloads))
	if err != nil {
		return fmt.Errorf("pubsub: notify: %w", err)
	}
	return nil
}

// Subscribe registers a local subscription.
func (p *Postgres) Subscribe(topics ...string) *Subscription { return p.hub.Subscribe(topics...) }

// Subscribers counts local subscriptions.
func (p *Postgres) Subscribers() int { return p.hub.Len() }

// Dropped counts overflowed events.
func (p *Postgres) Dropped() int64 { return p.hub.Dropped() }

// Reconnects counts how often the listener reconnected (tests, metrics).
func (p *Postgres) Reconnects() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.reconnects
}

// Close stops relaying and closes the listener.
func (p *Postgres) Close() error {
	select {
	case <-p.done:
		return nil
	default:
	}
	close(p.done)
	err := p.listener.Close()
	p.stopped.Wait()
	if errors.Is(err, pq.ErrChannelNotOpen) {
		err = nil
	}
	return err
}
