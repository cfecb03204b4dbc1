package apptest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// NATSEnv names the NATS server (JetStream on) the event-bus tests use;
// default nats://127.0.0.1:4222, the machine's own.
const NATSEnv = "PAGEINBOX_TEST_NATS_URL"

// RequireNATSEnv, when "1", turns an unreachable NATS server into a test
// failure instead of a skip (.ci/run sets it).
const RequireNATSEnv = "PAGEINBOX_REQUIRE_NATS"

// NATSServer returns the test NATS server's URL, or skips the test (fails
// it under RequireNATSEnv) when it does not answer.
func NATSServer(t testing.TB) string {
	t.Helper()
	raw := strings.TrimSpace(os.Getenv(NATSEnv))
	if raw == "" {
		raw = "nats://127.0.0.1:4222"
	}
	nc, err := nats.Connect(raw, nats.Timeout(2*time.Second))
	if err == nil {
		_, err = jetStreamInfo(nc)
		nc.Close()
	}
	if err != nil {
		if os.Getenv(RequireNATSEnv) == "1" {
			t.Fatalf("NATS required: %s: %v", raw, err)
		}
		t.Skipf("NATS event-bus tests skipped: %s unreachable or without JetStream: %v", raw, err)
	}
	return raw
}

func jetStreamInfo(nc *nats.Conn) (*jetstream.AccountInfo, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return js.AccountInfo(ctx)
}

// EventBusURL returns a PAGEINBOX_EVENT_BUS value with a prefix of its
// own (replicas of one test share it; tests do not see each other's
// events) and deletes the prefix's stream after the test.
func EventBusURL(t testing.TB) string {
	t.Helper()
	server := NATSServer(t)
	prefix := fmt.Sprintf("pit%d%x", os.Getpid(), rand.Uint64())
	t.Cleanup(func() {
		nc, err := nats.Connect(server)
		if err != nil {
			return
		}
		defer nc.Close()
		js, err := jetstream.New(nc)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = js.DeleteStream(ctx, strings.ToUpper(prefix)+"_EVENTS")
	})
	return strings.TrimRight(server, "/") + "/" + prefix
}

// WithEventBus runs the server on a NATS JetStream event bus
// (PAGEINBOX_EVENT_BUS).
func WithEventBus(url string) Option { return func(s *settings) { s.cfg.EventBus = url } }
