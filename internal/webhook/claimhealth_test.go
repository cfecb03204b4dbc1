package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"pageinbox/ent"
	"pageinbox/internal/apptest"
	"pageinbox/internal/clock"
	"pageinbox/internal/webhook"
)

// flaky is a database that can be made to fail every statement, counting
// the transactions it refused.
type flaky struct {
	dialect.Driver
	down    atomic.Bool
	refused atomic.Int64
	served  atomic.Int64
}

var errDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (f *flaky) Tx(ctx context.Context) (dialect.Tx, error) {
	if f.down.Load() {
		f.refused.Add(1)
		return nil, errDown
	}
	f.served.Add(1)
	return f.Driver.Tx(ctx)
}

func (f *flaky) Exec(ctx context.Context, q string, args, v any) error {
	if f.down.Load() {
		return errDown
	}
	return f.Driver.Exec(ctx, q, args, v)
}

func (f *flaky) Query(ctx context.Context, q string, args, v any) error {
	if f.down.Load() {
		return errDown
	}
	return f.Driver.Query(ctx, q, args, v)
}

// syncBuffer is a log destination the test reads while the dispatcher writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestClaimerLogsOneLinePerOutage: while the database is away the
// dispatcher's polls all fail, but the log gets one line when the outage
// starts and one when it ends - and nothing at all on a server without
// webhooks.
func TestClaimerLogsOneLinePerOutage(t *testing.T) {
	for _, withHooks := range []bool{true, false} {
		t.Run(fmt.Sprintf("webhooks=%v", withHooks), func(t *testing.T) {
			s := apptest.Start(t, apptest.SQLite, apptest.WithWebhookTargets())
			if withHooks {
				owner := s.SignUp("owner")
				page := s.CreatePage(owner, "hooks")
				rec := apptest.NewReceiver(t)
				s.Do(owner.Token, `mutation($p: ID!, $u: String!) { createWebhook(input: {pageId: $p, url: $u, events: [COMMENT_CREATED]}) { secret } }`,
					apptest.Vars{"p": page.ID, "u": rec.URL}).OK()
			}
			db := &flaky{Driver: entsql.OpenDB(dialect.SQLite, s.Store.DB)}
			var logs syncBuffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			cfg := webhook.DefaultConfig()
			cfg.Poll = 5 * time.Millisecond
			d := webhook.NewDispatcher(ent.NewClient(ent.Driver(db)), clock.System{}, cfg, webhook.Notices{}, log)
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan struct{})
			go func() { d.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()

			polled := func(n int64) func() error {
				return func() error {
					if db.served.Load() < n {
						return errors.New("no successful poll yet")
					}
					return nil
				}
			}
			apptest.Eventually(t, 5*time.Second, polled(1))
			db.down.Store(true)
			apptest.Eventually(t, 10*time.Second, func() error {
				if n := db.refused.Load(); n < 20 {
					return fmt.Errorf("%d failed polls", n)
				}
				return nil
			})
			db.down.Store(false)
			apptest.Eventually(t, 5*time.Second, polled(db.served.Load()+2))
			want := 2
			if !withHooks {
				want = 0
			}
			apptest.Eventually(t, 5*time.Second, func() error {
				if got := strings.Count(logs.String(), "\n"); got != want {
					return fmt.Errorf("%d log lines, want %d:\n%s", got, want, logs.String())
				}
				return nil
			})
			if withHooks && (!strings.Contains(logs.String(), "paused") || !strings.Contains(logs.String(), "resumed")) {
				t.Fatalf("the outage's lines:\n%s", logs.String())
			}
		})
	}
}
