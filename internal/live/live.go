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
}

// New returns the stream builder.
func New(client *ent.Client, broker pubsub.Broker, cfg Config, log *slog.Logger) *Streams {
	return &Streams{
		client:  client,
		broker:  broker,
		cfg:     cfg,
		log:     log,
		catchUp: make(chan struct{}, 8),
		loader:  newMessageLoader(client),
	}
}

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
		m, err := l.client.Message.Get(rule.System(context.WithoutCancel(ctx)), id)
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		now := time.Now()
		for k, c := range l.recent { // keep the cache small: events are read once, at once
			if now.Sub(c.at) > 5*time.Second {
				delete(l.recent, k)
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
