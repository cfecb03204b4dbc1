// Command bench measures pageinbox against its targets and prints one
// table. It starts real server processes (this binary, re-run with -serve)
// on loopback, drives them with HTTP and websocket clients, and measures
// the database's own limit in the same run for comparison.
//
//	go run ./cmd/bench                      # PostgreSQL (PAGEINBOX_BENCH_DATABASE_URL or the local server)
//	go run ./cmd/bench -db sqlite           # embedded SQLite
//	go run ./cmd/bench -only send,inbox     # some sections
//
// Sections: send (API vs raw database/sql), fanout (10,000 websocket
// subscribers), inbox (inbox read at 10k and 1M messages, and search),
// replicas (delivery across two server processes; PostgreSQL only), bus
// (LISTEN/NOTIFY vs NATS JetStream across three replicas: ceiling and CPU
// per event; PostgreSQL and NATS; not in the default set).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	// SQL drivers for the server processes and the raw baseline.
	_ "github.com/lib/pq"
	_ "modernc.org/sqlite"
)

type options struct {
	db              string
	pgURL           string
	only            map[string]bool
	senders         int
	sendFor         time.Duration
	rounds          int
	subscribers     int
	fanoutMessages  int
	replicaMessages int
	messages        int
	keep            bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-serve" {
		serveMain(os.Args[2:])
		return
	}
	if len(os.Args) > 4 && os.Args[1] == "-bus-replica" {
		busReplicaMain(os.Args[2:])
		return
	}
	var o options
	var only string
	flag.StringVar(&o.db, "db", "postgres", "postgres or sqlite")
	flag.StringVar(&o.pgURL, "pg", envOr("PAGEINBOX_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"),
		"PostgreSQL server to create the benchmark database on")
	flag.StringVar(&only, "only", "send,fanout,inbox,replicas", "sections to run")
	flag.IntVar(&o.senders, "senders", 64, "concurrent senders")
	flag.DurationVar(&o.sendFor, "send-for", 5*time.Second, "how long each send round runs")
	flag.IntVar(&o.rounds, "rounds", 3, "send rounds (API and raw alternate)")
	flag.IntVar(&o.subscribers, "subscribers", 10_000, "websocket subscribers for fan-out")
	flag.IntVar(&o.fanoutMessages, "fanout-messages", 20, "messages fanned out to every subscriber")
	flag.IntVar(&o.replicaMessages, "replica-messages", 200, "messages sent across replicas")
	flag.IntVar(&o.messages, "messages", 1_000_000, "messages for the large inbox")
	flag.BoolVar(&o.keep, "keep", false, "keep the benchmark database")
	flag.Parse()
	o.only = map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		o.only[strings.TrimSpace(s)] = true
	}
	raiseFileLimit()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := &table{}
	fmt.Fprintf(os.Stderr, "pageinbox benchmark: %s, %d CPUs, %s\n", o.db, runtime.NumCPU(), runtime.Version())
	if err := run(ctx, o, t); err != nil {
		t.print(os.Stdout, o)
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	t.print(os.Stdout, o)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "  "+format+"\n", a...)
}

func run(ctx context.Context, o options, t *table) error {
	if o.only["send"] {
		logf("send: %d senders, %d rounds of %s each for the API and for raw database/sql", o.senders, o.rounds, o.sendFor)
		if err := benchSend(ctx, o, t); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	if o.only["fanout"] {
		logf("fanout: %d websocket subscribers", o.subscribers)
		if err := benchFanout(ctx, o, t); err != nil {
			return fmt.Errorf("fanout: %w", err)
		}
	}
	if o.only["inbox"] {
		logf("inbox: staff inbox read at 10k and %d messages, and search", o.messages)
		if err := benchInbox(ctx, o, t); err != nil {
			return fmt.Errorf("inbox: %w", err)
		}
	}
	if o.only["replicas"] {
		if o.db != "postgres" {
			t.add("replicas", "cross-replica delivery", "skipped: replicas need PostgreSQL", "", "")
		} else {
			logf("replicas: two server processes on one database")
			if err := benchReplicas(ctx, o, t); err != nil {
				return fmt.Errorf("replicas: %w", err)
			}
		}
	}
	if o.only["bus"] {
		if o.db != "postgres" {
			t.add("bus", "NOTIFY vs JetStream", "skipped: replicas need PostgreSQL", "", "")
		} else {
			logf("bus: three replicas, LISTEN/NOTIFY then NATS JetStream")
			if err := benchBus(ctx, o, t); err != nil {
				return fmt.Errorf("bus: %w", err)
			}
		}
	}
	return nil
}

func raiseFileLimit() {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) == nil && l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
