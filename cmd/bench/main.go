// Command bench measures pageinbox against its targets and prints one
// table. It starts real server processes (this binary, re-run with -serve)
// on loopback, drives them with HTTP and websocket clients, and measures
// the database's own limit in the same run for comparison.
//
//	go run ./cmd/bench                      # PostgreSQL (PAGEINBOX_BENCH_DATABASE_URL or the local server)
//	go run ./cmd/bench -db sqlite           # embedded SQLite
//	go run ./cmd/bench -only send,inbox     # some sections
//	go run ./cmd/bench -only inbox,fanout -peer  # and ratios against PostGraphile and Centrifugo
//
// Sections: send (API vs raw database/sql), fanout (10,000 websocket
// subscribers), inbox (inbox read at 10k and 1M messages, and search),
// replicas (delivery across two server processes; PostgreSQL only), push
// (send with a Web Push subscription per visitor, and push deliveries/s),
// bus (LISTEN/NOTIFY vs NATS JetStream across three replicas: ceiling and
// CPU per event; PostgreSQL and NATS; not in the default set).
//
// -peer runs real peers in the same run, as child processes (peer.go),
// for ratios measured under the same load: PostGraphile (postgraphile.go)
// serving the same inbox query on the same database in the inbox
// section, rounds alternating with ours; Centrifugo (centrifugo.go)
// fanning out to as many websocket subscribers in the fanout section.
// The first run installs them into the user cache directory (npm, and
// go install through the module proxy); a peer that cannot start gets a
// "skipped" row.
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
	readers         int
	readFor         time.Duration
	keep            bool
	peer            bool
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-serve" {
		serveMain(os.Args[2:])
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "-load" {
		loadMain()
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
	flag.StringVar(&only, "only", "send,push,fanout,inbox,replicas", "sections to run")
	flag.IntVar(&o.senders, "senders", 64, "concurrent senders")
	flag.DurationVar(&o.sendFor, "send-for", 5*time.Second, "how long each send round runs")
	flag.IntVar(&o.rounds, "rounds", 3, "send rounds (API and raw alternate)")
	flag.IntVar(&o.subscribers, "subscribers", 10_000, "websocket subscribers for fan-out")
	flag.IntVar(&o.fanoutMessages, "fanout-messages", 20, "messages fanned out to every subscriber")
	flag.IntVar(&o.replicaMessages, "replica-messages", 200, "messages sent across replicas")
	flag.IntVar(&o.messages, "messages", 1_000_000, "messages for the large inbox")
	flag.IntVar(&o.readers, "readers", 16, "concurrent staff reading the inbox")
	flag.DurationVar(&o.readFor, "read-for", 3*time.Second, "how long each concurrent inbox round runs")
	flag.BoolVar(&o.keep, "keep", false, "keep the benchmark database")
	flag.BoolVar(&o.peer, "peer", false, "also run peers in the same run for ratios: PostGraphile "+postgraphileVersion+" (inbox) and Centrifugo "+centrifugoVersion+" (fanout)")
	flag.Parse()
	o.only = map[string]bool{}
	for _, s := range strings.Split(only, ",") {
		o.only[strings.TrimSpace(s)] = true
	}
	// Up to the hard limit: the replicas section holds two servers'
	// subscribers (each fan-out side has a load process of its own).
	raiseFileLimit(uint64(4*o.subscribers + 4096))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := &table{}
	fmt.Fprintf(os.Stderr, "pageinbox benchmark: %s, %d CPUs, %s\n", o.db, runtime.NumCPU(), runtime.Version())
	failed := run(ctx, o, t)
	t.print(os.Stdout, o)
	if failed {
		fmt.Fprintln(os.Stderr, "bench: a section failed (its FAILED row says why)")
		os.Exit(1)
	}
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

// section is one part of the benchmark; the table gets its rows.
type section struct {
	name  string
	about func(o options) string
	run   func(ctx context.Context, o options, t *table) error
}

func sections() []section {
	return []section{
		{"send", func(o options) string {
			return fmt.Sprintf("%d senders, %d rounds of %s each for the API and for raw database/sql", o.senders, o.rounds, o.sendFor)
		}, benchSend},
		{"push", func(o options) string {
			return "the send comparison with a Web Push subscription per visitor, and the push dispatcher's rate"
		}, benchPush},
		{"fanout", func(o options) string { return fmt.Sprintf("%d websocket subscribers", o.subscribers) }, benchFanout},
		{"inbox", func(o options) string {
			return fmt.Sprintf("staff inbox read at 10k and %d messages, one at a time and %d clients at once, and search", o.messages, o.readers)
		}, benchInbox},
		{"replicas", func(o options) string { return "two server processes on one database" }, benchReplicas},
		{"bus", func(o options) string { return "three replicas, LISTEN/NOTIFY then NATS JetStream" }, benchBus},
	}
}

// run runs the chosen sections one after the other. A section that fails
// gets a FAILED row saying why, and the others still run; run reports
// whether any failed. Each section's rows end with the machine's load
// average before and after it, because the figures mean little on a busy
// machine.
func run(ctx context.Context, o options, t *table) (failed bool) {
	for _, s := range sections() {
		if !o.only[s.name] || ctx.Err() != nil {
			continue
		}
		if (s.name == "replicas" || s.name == "bus") && o.db != "postgres" {
			t.add(s.name, "cross-replica delivery", "skipped: replicas need PostgreSQL", "", "")
			continue
		}
		logf("%s: %s", s.name, s.about(o))
		before := loadAverage()
		if err := s.run(ctx, o, t); err != nil {
			failed = true
			logf("%s: FAILED: %v", s.name, err)
			t.add(s.name, "FAILED", err.Error(), "", "MISSED")
		}
		t.add(s.name, "load average (1 min) before / after", before+" / "+loadAverage(), "", "")
	}
	return failed
}

func raiseFileLimit(need uint64) {
	var l syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l) != nil {
		return
	}
	if l.Max < need {
		// Above the hard limit only with the privilege to raise it (as
		// root); otherwise the peer's fan-out reports "too many open
		// files" and is skipped.
		want := syscall.Rlimit{Cur: need, Max: need}
		if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want) == nil {
			return
		}
	}
	if l.Cur < l.Max {
		l.Cur = l.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
	}
}
