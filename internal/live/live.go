// Package live turns broker events into the GraphQL subscriptions' streams
// (rule 19) without losing or repeating anything.
//
// Each stream remembers the last item it delivered (a message seq, a
// notification id, an inbox timestamp). Events at or below that mark are
// duplicates and dropped; an event that skips ahead, a subscription flagged
// as lossy (buffer overflow, broker reconnect) or a replay request makes the
// stream read the missing items from the database before going on. The
// broker therefore never has to block for a slow reader, and a reader never
// sees a gap.
//
// Authorization happens when the stream starts, through the same privacy
// rules as queries; the stream ends with an error when the viewer's session
// or token is revoked or their access to the audience goes away.
package live

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/sync/singleflight"

	"pageinbox/ent"
	"pageinbox/internal/apierr"
	"pageinbox/internal/pubsub"
	"pageinbox/internal/rule"
	"pageinbox/internal/viewer"
)

// Streams builds subscription streams.
type Streams struct {
	client *ent.Client
	broker pubsub.Broker
	cfg    Config
	log    *slog.Logger
	// catchUp bounds concurrent database catch-ups, so a broker reconnect
	// with thousands of subscribers does not stampede the database.
	catchUp chan struct{}
	loader  *messageLoader
	fanIn   *notificationFanIn
	// inboxLoads shares one event's inbox payload among the page's
	// local staff streams.
	inboxLoads *perEvent[*InboxEvent]
	// updateLoads shares an updated message among the thread's local
	// messageUpdated streams.
	updateLoads *perEvent[*ent.Message]
	// pumps runs the streams' work (push mode).
	pumps *pumps
}

// New returns the stream builder.
func New(client *ent.Client, broker pubsub.Broker, cfg Config, log *slog.Logger) *Streams {
	s := &Streams{
		client:  client,
		broker:  broker,
		cfg:     cfg,
		log:     log,
		catchUp: make(chan struct{}, 8),
		loader:  newMessageLoader(client),
		pumps:   newPumps(),
	}
	s.fanIn = newNotificationFanIn(s)
	s.inboxLoads = newPerEvent[*InboxEvent]()
	s.updateLoads = newPerEvent[*ent.Message]()
	return s
}

// Delivering is how many of this replica's streams are handling an event
// right now or are queued to (push mode: each renders and writes to its
// socket on a pump worker, pumps.go). Work that can wait - a large page's
// notification rows - waits for it to fall to zero, so a fan-out to
// thousands of sockets gets the CPU first.
func (s *Streams) Delivering() int64 { return s.pumps.busy() }

// ErrorReporter shows the client why its stream ended (the GraphQL
// transport's subscription error); the stream closes right after.
type ErrorReporter func(ctx context.Context, err *gqlerror.Error)

// Config tunes the streams.
type Config struct {
	Clock interface{ Now() time.Time }
	// Report delivers a stream's final error.
	Report ErrorReporter
	// TypingTTL is how long "typing" holds without renewal (default 6 s).
	TypingTTL time.Duration
}

// controlTopics are where the viewer's revocation and access changes are
// announced.
func controlTopics(v *viewer.Viewer) []string {
	if t, ok := v.Token(); ok {
		return []string{pubsub.TokenTopic(t.ID)}
	}
	uid, _ := v.UserID()
	return []string{pubsub.SessionTopic(v.SessionID()), pubsub.AccessTopic(uid)}
}

// acquire takes a catch-up slot.
func (s *Streams) acquire(ctx context.Context) bool {
	select {
	case s.catchUp <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Streams) release() { <-s.catchUp }

// send hands v to the stream unless the subscriber went away.
func send[T any](ctx context.Context, out chan<- T, v T) bool {
	select {
	case out <- v:
		return true
	case <-ctx.Done():
		return false
	}
}

// revokedError is sent when the credential of a stream is revoked.
func revokedError() *gqlerror.Error {
	return toGQL(apierr.New(apierr.Unauthenticated, "the session or token of this subscription was revoked"))
}

func toGQL(err *apierr.Error) *gqlerror.Error {
	return &gqlerror.Error{Message: err.Message, Extensions: map[string]any{"code": string(err.Code)}}
}

// messageLoader loads a message once for all local subscribers of its
// thread: with 10,000 subscribers one event costs one query, not 10,000.
type messageLoader struct {
	client *ent.Client
	group  singleflight.Group

	mu     sync.Mutex
	recent map[int]cached
	swept  time.Time
}

type cached struct {
	m  *ent.Message
	at time.Time
}

func newMessageLoader(client *ent.Client) *messageLoader {
	return &messageLoader{client: client, recent: make(map[int]cached)}
}

// load returns the message; the caller has authorized the subscriber for
// the message's thread when the stream started.
func (l *messageLoader) load(ctx context.Context, id int) (*ent.Message, error) {
	l.mu.Lock()
	if c, ok := l.recent[id]; ok && time.Since(c.at) < 5*time.Second {
		l.mu.Unlock()
		return c.m, nil
	}
	l.mu.Unlock()
	v, err, _ := l.group.Do(strconv.Itoa(id), func() (any, error) {
		// Detached from the first subscriber's context: the result serves
		// every subscriber waiting on it.
		m, err := l.client.Message.Get(rule.For(context.WithoutCancel(ctx), rule.EventDelivery), id)
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		now := time.Now()
		if now.Sub(l.swept) > time.Second {
			l.swept = now
			for k, c := range l.recent { // keep the cache small: events are read once, at once
				if now.Sub(c.at) > 5*time.Second {
					delete(l.recent, k)
				}
			}
		}
		l.recent[id] = cached{m: m, at: now}
		l.mu.Unlock()
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*ent.Message), nil
}

// forget drops a message from the cache: it changed (edit, unsend).
func (l *messageLoader) forget(id int) {
	l.mu.Lock()
	delete(l.recent, id)
	l.mu.Unlock()
}

// perEvent computes a value once per broker event for every local stream
// that received it. The hub hands all of them the same *pubsub.Event, so
// the pointer identifies the event; entries go after a few seconds, by
// which time every stream has long handled it (or resynchronises).
type perEvent[T any] struct {
	mu      sync.Mutex
	entries map[*pubsub.Event]*eventEntry[T]
	swept   time.Time
}

type eventEntry[T any] struct {
	done chan struct{}
	// ready is set, after v and err, just before done closes: the
	// streams that come once the value is loaded - nearly all of a
	// fan-out's - read it without the channel's lock.
	ready atomic.Bool
	at    time.Time
	v     T
	err   error
}

func newPerEvent[T any]() *perEvent[T] {
	return &perEvent[T]{entries: make(map[*pubsub.Event]*eventEntry[T])}
}

// load returns f's result for ev, calling f for the first caller only.
func (p *perEvent[T]) load(ev *pubsub.Event, f func() (T, error)) (T, error) {
	p.mu.Lock()
	e, ok := p.entries[ev]
	if !ok {
		now := time.Now()
		if now.Sub(p.swept) > time.Second {
			p.swept = now
			for k, old := range p.entries {
				if now.Sub(old.at) > 5*time.Second {
					delete(p.entries, k)
				}
			}
		}
		e = &eventEntry[T]{done: make(chan struct{}), at: now}
		p.entries[ev] = e
	}
	p.mu.Unlock()
	if ok {
		if !e.ready.Load() {
			<-e.done
		}
		return e.v, e.err
	}
	e.v, e.err = f()
	e.ready.Store(true)
	close(e.done)
	if e.err != nil {
		// Failures are not shared beyond the callers already waiting.
		p.mu.Lock()
		delete(p.entries, ev)
		p.mu.Unlock()
	}
	return e.v, e.err
}
