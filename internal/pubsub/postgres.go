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

// ErrClosed is returned by Publish after Close.
var ErrClosed = errors.New("pubsub: broker closed")

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
	// closeOnce makes Close safe to call twice: its channels close once.
	closeOnce sync.Once

	mu         sync.Mutex
	reconnects int
	obs        observerSlot

	// The outgoing queue (see Publish).
	outMu   sync.Mutex
	pending []Event
	closed  bool
	kick    chan struct{}
	closing chan struct{}
	sending sync.WaitGroup
}

// NewPostgres connects the listener and starts relaying.
func NewPostgres(dsn string, db *sql.DB, buffer int, log *slog.Logger) (*Postgres, error) {
	p := &Postgres{hub: NewHub(buffer), db: db, log: log, done: make(chan struct{}),
		kick: make(chan struct{}, 1), closing: make(chan struct{})}
	p.listener = pq.NewListener(dsn, 50*time.Millisecond, 2*time.Second, p.onEvent)
	if err := p.listener.Listen(Channel); err != nil {
		_ = p.listener.Close()
		return nil, fmt.Errorf("pubsub: listen: %w", err)
	}
	p.stopped.Go(p.relay)
	p.sending.Go(p.send)
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
				p.obs.reconnected()
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

// Publish queues the events for every replica and returns at once; the
// sender goroutine sends them with NOTIFY in queue order.
//
// Why not NOTIFY inside the writing transaction, or one NOTIFY per
// mutation: PostgreSQL serialises committing transactions that notified
// (a database-wide lock held through the commit's WAL flush), so one
// NOTIFY per message turns concurrent sends into a queue - the benchmark
// lost about a third of its throughput to it. Events that pile up while a
// NOTIFY is in flight go out together in the next one, which adds no
// delay when the server is quiet and few statements when it is busy.
func (p *Postgres) Publish(_ context.Context, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	p.outMu.Lock()
	if p.closed {
		p.outMu.Unlock()
		return ErrClosed
	}
	p.pending = append(p.pending, events...)
	p.outMu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default: // the sender is already due to run
	}
	return nil
}

// send sends queued events until Close, then what is left.
func (p *Postgres) send() {
	for {
		select {
		case <-p.kick:
			p.flush()
		case <-p.closing:
			p.flush()
			return
		}
	}
}

// notifyBatch bounds one NOTIFY statement's events (and its parameter).
const notifyBatch = 512

// flush sends everything queued. A NOTIFY that keeps failing (the
// database is unreachable) is given up after a few tries: the events are
// lost for the other replicas, so local subscribers resynchronise from
// the database as after a listener reconnect, and the others do when
// their listener reconnects.
func (p *Postgres) flush() {
	p.outMu.Lock()
	events := p.pending
	p.pending = nil
	p.outMu.Unlock()
	for len(events) > 0 {
		n := min(len(events), notifyBatch)
		var err error
		for attempt := range 5 {
			if err = p.notify(events[:n]); err == nil {
				break
			}
			time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
		}
		if err != nil {
			p.log.Error("publish events; subscribers resynchronise", "err", err, "count", len(events))
			p.hub.LoseAll()
			return
		}
		events = events[n:]
	}
}

// notify sends events in one statement, in order.
func (p *Postgres) notify(events []Event) error {
	payloads := make([]string, len(events))
	for i, ev := range events {
		b, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		payloads[i] = string(b) // ids only: far below NOTIFY's 8000-byte limit
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := p.db.ExecContext(ctx, `SELECT pg_notify($1, payload) FROM unnest($2::text[]) WITH ORDINALITY AS e(payload, n) ORDER BY n`,
		Channel, pq.Array(payloads))
	if err != nil {
		return fmt.Errorf("pubsub: notify: %w", err)
	}
	return nil
}

// Local delivers to this replica's subscribers only.
func (p *Postgres) Local(ev Event) { p.hub.Deliver(ev) }

// Watch registers a local subscription of the server itself.
func (p *Postgres) Watch(topics ...string) *Subscription { return p.hub.Watch(topics...) }

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

// Close sends what is queued, stops relaying and closes the listener. It
// may be called more than once, concurrently too: the first call closes,
// later ones wait for it and return nil.
func (p *Postgres) Close() error {
	var err error
	p.closeOnce.Do(func() { err = p.close() })
	return err
}

func (p *Postgres) close() error {
	// Queued events go out before the listener closes.
	p.outMu.Lock()
	p.closed = true
	p.outMu.Unlock()
	close(p.closing)
	p.sending.Wait()
	close(p.done)
	err := p.listener.Close()
	p.stopped.Wait()
	if errors.Is(err, pq.ErrChannelNotOpen) {
		err = nil
	}
	return err
}
